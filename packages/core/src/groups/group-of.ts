import type { CommissionConfig } from '../config/commission';
import { DEFAULT_GROUP, type Reward } from '../config/group';
import type { ProgramConfig } from '../config/program';
import type { RefereeDiscount } from '../config/referee-discount';
import type { ParticipantRecord, ParticipantTerms } from '../store/records';

/** What a participant earns by: their group's configuration and their own terms. */
export interface GroupTerms {
  /** The group's name; `default` for the program's top-level configuration. */
  id: string;
  commission: CommissionConfig | undefined;
  rewards: Reward[];
  refereeDiscount: RefereeDiscount | undefined;
  /** The participant's own terms, or null. */
  custom: ParticipantTerms | null;
}

/** Every group of a program, the default one first, as `[name, configuration]`. */
export function groupsOf(program: ProgramConfig): [string, Omit<GroupTerms, 'id' | 'custom'>][] {
  const out: [string, Omit<GroupTerms, 'id' | 'custom'>][] = [
    [DEFAULT_GROUP, { commission: program.commission, rewards: program.rewards, refereeDiscount: program.refereeDiscount }],
  ];
  for (const [name, g] of Object.entries(program.groups)) out.push([name, { commission: g.commission, rewards: g.rewards, refereeDiscount: g.refereeDiscount }]);
  return out;
}

/** Whether `groupId` names a group of the program (`default` included). */
export const isGroup = (program: ProgramConfig, groupId: string): boolean => groupId === DEFAULT_GROUP || Object.hasOwn(program.groups, groupId);

/**
 * The configuration a participant earns by: their group's (the default
 * group's when they are in none, or in one the configuration no longer
 * names: a removed group's members earn by the default group rather than
 * not at all), with their own terms beside it.
 */
export function groupOf(program: ProgramConfig, participant: Pick<ParticipantRecord, 'groupId' | 'customTerms'> | null): GroupTerms {
  const custom = participant?.customTerms ?? null;
  const name = participant?.groupId ?? null;
  const g = name !== null && name !== DEFAULT_GROUP && Object.hasOwn(program.groups, name) ? program.groups[name] : undefined;
  if (!g) return { id: DEFAULT_GROUP, commission: program.commission, rewards: program.rewards, refereeDiscount: program.refereeDiscount, custom };
  return { id: name!, commission: g.commission, rewards: g.rewards, refereeDiscount: g.refereeDiscount, custom };
}

/** Days a line a participant earns stays pending: their own holding period, else their group's, else 30. */
export const holdingDaysOf = (group: GroupTerms): number => group.custom?.holdingDays ?? group.commission?.holdingDays ?? 30;

/** Whether a sign-up of a referee of this participant earns something now: the program qualifies on sign-up, or their group has a `lead` reward. */
export const accruesAtSignup = (program: ProgramConfig, participant: Pick<ParticipantRecord, 'groupId' | 'customTerms'>): boolean =>
  program.qualifyOn === 'signup' || groupOf(program, participant).rewards.some((r) => r.event === 'lead');
