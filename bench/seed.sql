-- One organization, one event with 1,000,000 wristbands (every 20th vip) all assigned to one
-- active series whose check-in window is open now, policy unlimited (every valid entry is
-- allowed) and a capacity high enough never to bind, so the capacity shards are on the path.
-- psql variables: token (the bearer secret), wristbands (count).
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO organizations (id, name) VALUES ('00000000-0000-0000-0000-0000000000a1', 'Bench Org');
INSERT INTO users (id, display_name) VALUES ('00000000-0000-0000-0000-0000000000b1', 'Bench Scanner');
INSERT INTO organization_members (organization_id, user_id, role) VALUES ('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000b1', 'owner');
INSERT INTO api_tokens (id, user_id, token_hash, name)
  VALUES ('00000000-0000-0000-0000-0000000000c1', '00000000-0000-0000-0000-0000000000b1', sha256(convert_to(:'token', 'UTF8')), 'bench');
INSERT INTO events (id, organization_id, name, time_zone) VALUES ('00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000a1', 'Bench Festival', 'Europe/Berlin');
INSERT INTO categories (event_id, name) VALUES ('00000000-0000-0000-0000-0000000000e1', 'general'), ('00000000-0000-0000-0000-0000000000e1', 'vip');
INSERT INTO gates (id, event_id, organization_id, name, kind, status, allowed_categories) VALUES
  ('00000000-0000-0000-0000-0000000000f1', '00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000a1', 'Main', 'entry', 'open', '{}'),
  ('00000000-0000-0000-0000-0000000000f2', '00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000a1', 'VIP', 'vip', 'open', '{vip}');
INSERT INTO wristbands (id, event_id, organization_id, nfc_id, category, status)
  SELECT gen_random_uuid(), '00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000a1',
         'B' || lpad(i::text, 8, '0'), CASE WHEN i % 20 = 0 THEN 'vip' ELSE 'general' END, 'active'
  FROM generate_series(1, :wristbands) AS i;
INSERT INTO event_series (id, organization_id, event_id, name, starts_at, ends_at, checkin_opens_minutes_before, capacity, lifecycle_status, reentry_policy)
  VALUES ('00000000-0000-0000-0000-000000000051', '00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000e1', 'Bench Day',
          now() - interval '1 hour', now() + interval '23 hours', 120, 10000000, 'active', 'unlimited');
INSERT INTO series_gates (series_id, gate_id) VALUES
  ('00000000-0000-0000-0000-000000000051', '00000000-0000-0000-0000-0000000000f1'),
  ('00000000-0000-0000-0000-000000000051', '00000000-0000-0000-0000-0000000000f2');
INSERT INTO series_wristband_assignments (series_id, wristband_id, category)
  SELECT '00000000-0000-0000-0000-000000000051', id, category FROM wristbands WHERE event_id = '00000000-0000-0000-0000-0000000000e1';
COMMIT;
ANALYZE;
