/**
 * Active Directory stores objectGUID as 16 bytes whose first three fields are little-endian;
 * the familiar string form prints them big-endian. These two functions convert both ways.
 */

const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Turns AD's binary objectGUID into "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (lower case). */
export function guidFromBytes(bytes: Buffer): string {
  if (bytes.length !== 16) throw new Error(`objectGUID must be 16 bytes, got ${bytes.length}`);
  const hex = (from: number, to: number, reverse: boolean): string => {
    const part = Array.from(bytes.subarray(from, to));
    return Buffer.from(reverse ? part.reverse() : part).toString('hex');
  };
  return [
    hex(0, 4, true),
    hex(4, 6, true),
    hex(6, 8, true),
    hex(8, 10, false),
    hex(10, 16, false),
  ].join('-');
}

/** The inverse of guidFromBytes; throws on anything that is not a GUID string. */
export function guidToBytes(guid: string): Buffer {
  const text = guid.toLowerCase();
  if (!GUID_PATTERN.test(text)) throw new Error('not a GUID');
  const hex = text.replace(/-/g, '');
  const bytes = Buffer.from(hex, 'hex');
  return Buffer.concat([
    Buffer.from(bytes.subarray(0, 4)).reverse(),
    Buffer.from(bytes.subarray(4, 6)).reverse(),
    Buffer.from(bytes.subarray(6, 8)).reverse(),
    bytes.subarray(8, 16),
  ]);
}

/** True for a GUID string in the form guidFromBytes produces (any case). */
export function isGuid(text: string): boolean {
  return GUID_PATTERN.test(text.toLowerCase());
}
