import mongoose from 'mongoose';
import { isDatabaseOutage } from '../../src/models/database-outage';

describe('telling an unreachable database from a refused command', () => {
  const { MongoNetworkError, MongoServerError } = mongoose.mongo;

  it('takes network errors, also as the cause of another error, as an outage', () => {
    const network = new MongoNetworkError('connection 3 to 127.0.0.1:27017 closed');
    expect(isDatabaseOutage(network)).toBe(true);
    expect(isDatabaseOutage(new Error('settling failed', { cause: network }))).toBe(true);
  });

  it("takes mongoose's timeout of commands buffered while disconnected as an outage", () => {
    const buffered = new mongoose.Error(
      'Operation `sessions.findOne()` buffering timed out after 10000ms',
    );
    expect(isDatabaseOutage(buffered)).toBe(true);
  });

  it('does not take a refused command, a duplicate key or anything else for one', () => {
    expect(isDatabaseOutage(new MongoServerError({ code: 11000, errmsg: 'duplicate key' }))).toBe(
      false,
    );
    expect(isDatabaseOutage(new MongoServerError({ code: 2, errmsg: 'bad value' }))).toBe(false);
    expect(isDatabaseOutage(new Error('boom'))).toBe(false);
    expect(isDatabaseOutage('not an error')).toBe(false);
  });
});
