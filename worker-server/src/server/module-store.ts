/** The modules installed on this server, in install order; a new executor loads them all before its first task. */
export class ModuleStore {
  private readonly modules = new Map<string, string>();

  put(name: string, code: string): void {
    this.modules.delete(name);
    this.modules.set(name, code);
  }

  entries(): IterableIterator<[name: string, code: string]> {
    return this.modules.entries();
  }
}
