// The part of picomatch's API the CLI uses (the package ships no types).
declare module "picomatch" {
  interface Options {
    dot?: boolean;
    nocase?: boolean;
  }
  function picomatch(glob: string | string[], options?: Options): (path: string) => boolean;
  export default picomatch;
}
