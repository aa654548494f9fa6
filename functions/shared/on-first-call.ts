// An adapter whose module (and SDK client) is imported on its first call instead of at cold
// start. Functions are bundled with code splitting (infra/bundling.ts), so the module is a
// chunk: a request that never reaches KMS, S3, SQS, IoT or Step Functions never loads or
// compiles their clients. Only ports whose members are async methods qualify (checked by the
// type), plus plain values known up front (`fixed`, e.g. a bucket name).

type AsyncMethods<T> = { [K in keyof T]: (...args: never[]) => Promise<unknown> };

const LOAD = Symbol('load the adapter');

/** The adapter behind a port (loading it if it stands in for one): which provider a profile chose. */
export function loadedAdapter<T extends object>(port: T): Promise<T> {
  const load = (port as { [LOAD]?: () => Promise<T> })[LOAD];
  return load ? load() : Promise.resolve(port);
}

export function onFirstCall<T extends AsyncMethods<Omit<T, K>>, K extends keyof T = never>(
  load: () => Promise<T>,
  fixed?: Pick<T, K>,
): T {
  let adapter: Promise<T> | undefined;
  const loaded = () => {
    adapter ??= load().catch((error: unknown) => {
      adapter = undefined; // the next call tries again
      throw error;
    });
    return adapter;
  };
  return new Proxy({} as T, {
    get: (_, member) => {
      if (member === LOAD) return loaded;
      if (fixed && Object.hasOwn(fixed, member)) return fixed[member as K];
      // Not a thenable, and not a port method: what inspection or `await` would ask for.
      if (typeof member === 'symbol' || member === 'then' || member === 'toJSON') return undefined;
      return async (...args: unknown[]) => {
        const instance = await loaded();
        return (instance[member as keyof T] as unknown as (...a: unknown[]) => Promise<unknown>).apply(
          instance,
          args,
        );
      };
    },
  });
}
