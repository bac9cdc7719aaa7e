// The chain analysis result of one MIDDLEWARE setting (model document, section 6).

export interface SwitchCount {
  syncToAsync: number;
  asyncToSync: number;
}

export interface Chain {
  file: string;
  line: number;
  setting: string;
  middleware: string[];
  switches: {
    asyncView: { before: SwitchCount; after: SwitchCount };
    syncView: { before: SwitchCount; after: SwitchCount };
  } | null;
  unresolved: string[];
  notes: string[];
}
