-- The fault-injection scenario's data: one organization with one owner and a bearer token, one
-- event with :wristbands general wristbands (NFC UIDs C000001, C000002, ...) all assigned to one
-- active series whose check-in window is open now, with capacity :capacity and re-entry policy
-- :policy (single or reentry), and one open gate of kind mixed (people go in and out through it).
-- psql variables: token, wristbands, capacity, policy. The ids are fixed; bench/chaos/run.sh
-- passes the same ones to the driver.
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO organizations (id, name) VALUES ('00000000-0000-0000-0000-0000000c0a01', 'Chaos Org');
INSERT INTO users (id, display_name) VALUES ('00000000-0000-0000-0000-0000000c0b01', 'Chaos Driver');
INSERT INTO organization_members (organization_id, user_id, role)
  VALUES ('00000000-0000-0000-0000-0000000c0a01', '00000000-0000-0000-0000-0000000c0b01', 'owner');
INSERT INTO api_tokens (id, user_id, token_hash, name)
  VALUES ('00000000-0000-0000-0000-0000000c0c01', '00000000-0000-0000-0000-0000000c0b01', sha256(convert_to(:'token', 'UTF8')), 'chaos');
INSERT INTO events (id, organization_id, name, time_zone)
  VALUES ('00000000-0000-0000-0000-0000000c0e01', '00000000-0000-0000-0000-0000000c0a01', 'Chaos Festival', 'UTC');
INSERT INTO categories (event_id, name) VALUES ('00000000-0000-0000-0000-0000000c0e01', 'general');
INSERT INTO gates (id, event_id, organization_id, name, kind, status, allowed_categories)
  VALUES ('00000000-0000-0000-0000-0000000c0f01', '00000000-0000-0000-0000-0000000c0e01', '00000000-0000-0000-0000-0000000c0a01',
          'Turnstiles', 'mixed', 'open', '{}');
INSERT INTO wristbands (id, event_id, organization_id, nfc_id, category, status)
  SELECT gen_random_uuid(), '00000000-0000-0000-0000-0000000c0e01', '00000000-0000-0000-0000-0000000c0a01',
         'C' || lpad(i::text, 6, '0'), 'general', 'active'
  FROM generate_series(1, :wristbands) AS i;
INSERT INTO event_series (id, organization_id, event_id, name, starts_at, ends_at, checkin_opens_minutes_before,
                          capacity, lifecycle_status, reentry_policy)
  VALUES ('00000000-0000-0000-0000-0000000c0051', '00000000-0000-0000-0000-0000000c0a01', '00000000-0000-0000-0000-0000000c0e01',
          'Chaos Night', now() - interval '1 hour', now() + interval '23 hours', 120, :capacity, 'active', :'policy');
INSERT INTO series_gates (series_id, gate_id) VALUES ('00000000-0000-0000-0000-0000000c0051', '00000000-0000-0000-0000-0000000c0f01');
INSERT INTO series_wristband_assignments (series_id, wristband_id, category)
  SELECT '00000000-0000-0000-0000-0000000c0051', id, category FROM wristbands WHERE event_id = '00000000-0000-0000-0000-0000000c0e01';
COMMIT;
ANALYZE;
