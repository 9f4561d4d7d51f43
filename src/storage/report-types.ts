/** The storage contract of content reports: events, rooms and users reported by local users (spec §"Reporting content"). */

/** What was reported: one event in a room, a whole room, or a user. */
export type ReportKind = 'event' | 'room' | 'user';

/** A report as the client made it. */
export interface NewReport {
  kind: ReportKind;
  /** The room of an event or room report. */
  roomId: string | null;
  /** The event of an event report. */
  eventId: string | null;
  /** The user of a user report. */
  targetUserId: string | null;
  reporter: string;
  /** The reporter's reason; null when none was given. */
  reason: string | null;
  receivedTs: number;
}

/** A stored report with the id the store gave it (ids increase in insertion order). */
export interface ReportRecord extends NewReport {
  id: number;
}

/** Reports, kept for the server admin (spec §"Reporting content": "may then notify the appropriate people"). */
export interface ReportStore {
  /** Stores a report and resolves to its id. */
  add(report: NewReport): Promise<number>;
  get(id: number): Promise<ReportRecord | undefined>;
  /** Reports with an id above `afterId`, oldest first, at most `limit`. */
  list(afterId: number, limit: number): Promise<ReportRecord[]>;
}
