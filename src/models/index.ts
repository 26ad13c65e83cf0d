import type { Connection } from 'mongoose';
import { activationCodeModel } from './activation-code.model';
import { assuranceRecordModel } from './assurance-record.model';
import { passportBindingModel } from './passport-binding.model';
import { passportOwnershipModel } from './passport-ownership.model';
import { pollLeaseModel } from './poll-lease.model';
import { pollScheduleModel } from './poll-schedule.model';
import { sessionEndingModel } from './session-ending.model';
import { verificationSessionModel } from './verification-session.model';

/** Every model, compiled on one connection. */
export function createModels(connection: Connection) {
  return {
    sessions: verificationSessionModel(connection),
    endings: sessionEndingModel(connection),
    schedules: pollScheduleModel(connection),
    leases: pollLeaseModel(connection),
    activationCodes: activationCodeModel(connection),
    bindings: passportBindingModel(connection),
    ownerships: passportOwnershipModel(connection),
    records: assuranceRecordModel(connection),
  };
}

export type Models = ReturnType<typeof createModels>;
