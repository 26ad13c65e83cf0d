import { assertTransition, isTerminal } from '../../src/services/verification-state';

describe('verification state machine', () => {
  it('has AWAITING_APP as its only open state', () => {
    expect(isTerminal('AWAITING_APP')).toBe(false);
    for (const status of ['VERIFIED', 'REJECTED', 'FAILED', 'EXPIRED', 'CANCELLED'] as const) {
      expect(isTerminal(status)).toBe(true);
    }
  });

  it('allows each terminal state with its own reasons only', () => {
    expect(() => assertTransition('AWAITING_APP', 'VERIFIED', undefined)).not.toThrow();
    expect(() => assertTransition('AWAITING_APP', 'REJECTED', 'FACE_MATCH_TOO_LOW')).not.toThrow();
    expect(() => assertTransition('AWAITING_APP', 'FAILED', 'DIRECTORY_UNAVAILABLE')).not.toThrow();
    expect(() => assertTransition('AWAITING_APP', 'EXPIRED', 'TIMED_OUT')).not.toThrow();
    expect(() => assertTransition('AWAITING_APP', 'CANCELLED', 'USER_CANCELLED')).not.toThrow();
    expect(() => assertTransition('AWAITING_APP', 'VERIFIED', 'TIMED_OUT')).toThrow();
    expect(() => assertTransition('AWAITING_APP', 'REJECTED', undefined)).toThrow();
    expect(() => assertTransition('AWAITING_APP', 'FAILED', 'USER_CANCELLED')).toThrow();
  });

  it('never leaves a terminal state', () => {
    expect(() => assertTransition('VERIFIED', 'CANCELLED', 'USER_CANCELLED')).toThrow('terminal');
    expect(() => assertTransition('EXPIRED', 'VERIFIED', undefined)).toThrow('terminal');
  });
});
