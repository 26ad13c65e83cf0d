import type { Adapter, AdapterPayload } from 'oidc-provider';

/**
 * oidc-provider's storage for the simulator: a process-local map, which is all a simulator
 * needs. Giving our own also tells oidc-provider that losing the data on restart is intended.
 */
export function memoryAdapterFactory() {
  const store = new Map<string, { payload: AdapterPayload; expiresAt?: number }>();
  const live = (key: string) => {
    const entry = store.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt < Date.now()) {
      store.delete(key);
      return undefined;
    }
    return entry?.payload;
  };
  return class MemoryAdapter implements Adapter {
    constructor(private readonly model: string) {}

    private key(id: string) {
      return `${this.model}:${id}`;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
      store.set(this.key(id), {
        payload,
        expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined,
      });
      if (payload.grantId) store.set(`grant:${payload.grantId}:${this.key(id)}`, { payload: {} });
      if (payload.userCode)
        store.set(`userCode:${payload.userCode}`, { payload: { id } as AdapterPayload });
      if (payload.uid) store.set(`uid:${payload.uid}`, { payload: { id } as AdapterPayload });
    }

    async find(id: string) {
      return live(this.key(id));
    }

    async findByUserCode(userCode: string) {
      const ref = live(`userCode:${userCode}`) as { id?: string } | undefined;
      return ref?.id ? this.find(ref.id) : undefined;
    }

    async findByUid(uid: string) {
      const ref = live(`uid:${uid}`) as { id?: string } | undefined;
      return ref?.id ? this.find(ref.id) : undefined;
    }

    async consume(id: string) {
      const payload = live(this.key(id));
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }

    async destroy(id: string) {
      store.delete(this.key(id));
    }

    async revokeByGrantId(grantId: string) {
      for (const key of [...store.keys()]) {
        if (key.startsWith(`grant:${grantId}:`)) {
          store.delete(key.slice(`grant:${grantId}:`.length));
          store.delete(key);
        }
      }
    }
  };
}
