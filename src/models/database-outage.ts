import mongoose from 'mongoose';

const { MongoNetworkError, MongoServerSelectionError, MongoNotConnectedError } = mongoose.mongo;
const { MongoTopologyClosedError } = mongoose.mongo;

/**
 * True when MongoDB could not be reached (down, restarting, network cut), as opposed to a
 * refused or wrong command. Mongoose reports a connection that is not up by timing out the
 * commands it buffered, or with its own server-selection error.
 */
export function isDatabaseOutage(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    if (
      e instanceof MongoNetworkError ||
      e instanceof MongoServerSelectionError ||
      e instanceof MongoNotConnectedError ||
      e instanceof MongoTopologyClosedError ||
      e.name === 'MongooseServerSelectionError' ||
      (e.name === 'MongooseError' && /buffering timed out/.test(e.message))
    ) {
      return true;
    }
  }
  return false;
}
