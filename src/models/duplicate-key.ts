/** True for MongoDB's "duplicate key" error: someone else's insert with that key came first. */
export function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number } | undefined)?.code === 11000;
}
