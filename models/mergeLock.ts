import { Schema, type Connection } from 'mongoose';

/**
 * One merge of a customer into another. The _id (`<workspace>|<merged customer>`) makes two racing merges of the
 * same customer collide on insert: the one that lost waits for the winner instead of merging a second time.
 */
export interface MergeLockDoc {
  _id: string;
  workspaceId: string;
  mergedId: string;
  survivorId: string;
  createdAt: Date;
}

export const mergeLockSchema = new Schema<MergeLockDoc>(
  {
    _id: { type: String, required: true },
    workspaceId: { type: String, required: true },
    mergedId: { type: String, required: true },
    survivorId: { type: String, required: true },
    createdAt: { type: Date, default: () => new Date() },
  },
  { versionKey: false },
);

export const mergeLockModel = (conn: Connection) => conn.model<MergeLockDoc>('MergeLock', mergeLockSchema, 'merge_locks');
