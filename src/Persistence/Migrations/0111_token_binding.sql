-- Tokens bound to one organization (issue 10). A token someone minted for another person carries
-- only the membership of the organization it was minted in; only personal tokens (bootstrap, and
-- those a person mints for themself with a personal token) carry all of the person's memberships.
ALTER TABLE api_tokens
    ADD COLUMN organization_id uuid NULL REFERENCES organizations (id) ON DELETE CASCADE;

-- Every token minted through an organization's endpoint so far has a 'token.issue' audit entry in
-- that organization (written in the same transaction): bind it there. Which token minted a
-- self-minted one is not recorded, so those are bound too (the safe reading). Bootstrap tokens
-- have no such entry and stay personal, with the same meaning as before.
UPDATE api_tokens t
SET organization_id = a.organization_id
FROM audit_log a
WHERE a.action = 'token.issue' AND a.target_type = 'token' AND a.target_id = t.id::text
  AND EXISTS (SELECT 1 FROM organizations o WHERE o.id = a.organization_id);

-- A minted token whose organization no longer exists would otherwise turn personal: revoke it.
UPDATE api_tokens t
SET revoked_at = coalesce(t.revoked_at, now())
WHERE t.organization_id IS NULL AND t.created_by IS NOT NULL;

CREATE INDEX api_tokens_organization_ix ON api_tokens (organization_id, user_id) WHERE organization_id IS NOT NULL;

-- E-mail addresses are unique within an organization (the organization grain checks it), not
-- across the system: a global unique index let any admin learn that an address is used elsewhere.
DROP INDEX users_email_uq;
CREATE INDEX users_email_ix ON users (lower(email)) WHERE email IS NOT NULL;
