import { BadUserInputError } from '../errors';

/** The largest page an admin query may ask for. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** A position in a list ordered by a date, newest first, ties broken by _id. */
export interface Cursor {
  at: Date;
  id: string;
}

/** An opaque cursor: base64url of the position, so clients cannot build or edit one. */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.at.getTime(), cursor.id])).toString('base64url');
}

/** The inverse of encodeCursor; BAD_USER_INPUT for anything it did not make. */
export function decodeCursor(text: string): Cursor {
  try {
    const [time, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (
      typeof time !== 'number' ||
      !Number.isFinite(time) ||
      typeof id !== 'string' ||
      id.length > 100
    ) {
      throw new Error();
    }
    return { at: new Date(time), id };
  } catch {
    throw new BadUserInputError('after is not a cursor from this API');
  }
}

/** `first` checked against the maximum; BAD_USER_INPUT outside 1…MAX_PAGE_SIZE. */
export function pageSize(first: number | undefined | null): number {
  const size = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`first must be between 1 and ${MAX_PAGE_SIZE}`, {
      maximum: MAX_PAGE_SIZE,
    });
  }
  return size;
}

/**
 * The MongoDB filter for "after this cursor" in an order of `field` descending, then _id
 * descending: a keyset, so rows inserted meanwhile never shift a page.
 */
export function afterFilter(field: string, cursor: Cursor | undefined): Record<string, unknown> {
  if (!cursor) return {};
  return {
    $or: [{ [field]: { $lt: cursor.at } }, { [field]: cursor.at, _id: { $lt: cursor.id } }],
  };
}

/** A Relay connection from rows fetched with one extra to tell whether more follow. */
export function connectionOf<T, N>(
  rows: T[],
  size: number,
  positionOf: (row: T) => Cursor,
  nodeOf: (row: T) => N,
) {
  const page = rows.slice(0, size);
  const edges = page.map((row) => ({ cursor: encodeCursor(positionOf(row)), node: nodeOf(row) }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null },
  };
}
