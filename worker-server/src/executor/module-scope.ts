import type { RemoteFn } from './function-registry.js';

/**
 * One controller's installed modules on this executor, by module name in
 * install order: installing a name again replaces that module. `names` holds
 * every export, later modules over earlier ones; it is the one object that
 * functions sent by value from that controller see their free names in (and
 * `globalThis.name` too), so nothing is made a real global for every controller.
 */
export class ModuleScope {
  private readonly modules = new Map<string, Record<string, unknown>>();
  readonly names: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  /** What `globalThis` is to those functions: the real one, with this controller's exports in front. */
  readonly globalView: typeof globalThis = new Proxy(globalThis, {
    get: (target, key) => (typeof key === 'string' && Object.hasOwn(this.names, key) ? this.names[key] : Reflect.get(target, key)),
    has: (target, key) => (typeof key === 'string' && Object.hasOwn(this.names, key)) || Reflect.has(target, key),
  });

  install(name: string, exports: Record<string, unknown>): void {
    this.modules.delete(name);
    this.modules.set(name, exports);
    // Rebuilt in place: functions compiled earlier hold this very object.
    for (const key of Object.keys(this.names)) delete this.names[key];
    for (const module of this.modules.values()) Object.assign(this.names, module);
  }

  find(name: string): RemoteFn | undefined {
    const value = Object.hasOwn(this.names, name) ? this.names[name] : undefined;
    return typeof value === 'function' ? (value as RemoteFn) : undefined;
  }

  functionNames(): string[] {
    return Object.keys(this.names).filter((key) => typeof this.names[key] === 'function');
  }
}
