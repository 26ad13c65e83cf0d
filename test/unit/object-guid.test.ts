import { guidFromBytes, guidToBytes, isGuid } from '../../src/services/object-guid';

describe('objectGUID conversion', () => {
  // The byte order AD uses: the first three fields little-endian.
  const bytes = Buffer.from('33221100554477668899aabbccddeeff', 'hex');
  const text = '00112233-4455-6677-8899-aabbccddeeff';

  it('prints AD bytes in the familiar GUID form', () => {
    expect(guidFromBytes(bytes)).toBe(text);
  });

  it('turns a GUID string back into the same bytes, in any case', () => {
    expect(guidToBytes(text).equals(bytes)).toBe(true);
    expect(guidToBytes(text.toUpperCase()).equals(bytes)).toBe(true);
  });

  it('refuses anything that is not 16 bytes or a GUID string', () => {
    expect(() => guidFromBytes(Buffer.alloc(15))).toThrow('16 bytes');
    expect(() => guidToBytes('*)(objectGUID=*')).toThrow('not a GUID');
    expect(isGuid('00112233-4455-6677-8899-aabbccddeeff')).toBe(true);
    expect(isGuid('00112233-4455-6677-8899-aabbccddeef')).toBe(false);
  });
});
