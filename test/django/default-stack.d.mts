export declare const DEFAULT_STACK: string[];
