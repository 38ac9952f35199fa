-- Tickets are listed by source and external id (the ticket shop's own number, what a box office
-- looks up) instead of by creation: the unique index (event_id, source, external_id) already
-- serves that order, so tickets_event_ix (event_id, created_at, id) is one index less to write per
-- ticket. A million imported tickets spent about a second on it (issue 12's 15 s floor).
DROP INDEX tickets_event_ix;
