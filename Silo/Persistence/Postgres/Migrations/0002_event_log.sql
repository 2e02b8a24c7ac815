-- The durable event log: the source of truth of the event feed (API.md "Event feed"). Every committed domain event
-- once, at a global position that strictly increases. The reader grain serves catch-up and Last-Event-ID
-- resumption from it; the Orleans streams only bring news of it sooner.
--
-- Positions are not drawn from a sequence: an append (PostgresEventLogStore) takes a transaction-scoped advisory
-- lock, reads max(position) and inserts max + 1, and holds the lock until it commits. Appends are serialised, so
-- positions are dense and commit in position order, and a reader that has seen position N never later finds a
-- committed N-1 (a sequence would hand out numbers in start order, not commit order). Retention never deletes the
-- newest row, so the head, and the next position, never move back.
--
-- Idempotent (IF NOT EXISTS) like 0001. Never edit this file once released: add 0003_*.sql.

CREATE TABLE IF NOT EXISTS gnlc_event_log (
  position    bigint      PRIMARY KEY CHECK (position > 0),
  -- EntityKind and DomainEventType by name, so reordering the enums never changes what a row means.
  entity_kind text        NOT NULL,
  entity_id   text        NOT NULL,
  -- The entity's version after the change: with the kind and id, the identity of an event.
  version     bigint      NOT NULL,
  type        text        NOT NULL,
  country     text,
  city        text,
  period      text,
  status      text        NOT NULL,
  occurred_at timestamptz NOT NULL,
  reason      text,
  -- When the log recorded it (retention counts from here, not from occurred_at, which follows the domain clock).
  recorded_at timestamptz NOT NULL,
  -- An outbox delivers at least once: a re-delivery finds its row and gets the position it had.
  CONSTRAINT gnlc_event_log_event UNIQUE (entity_kind, entity_id, version)
);

-- Retention deletes by age.
CREATE INDEX IF NOT EXISTS gnlc_event_log_recorded_at ON gnlc_event_log (recorded_at);
