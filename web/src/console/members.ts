// Members of the organization and their tokens (admins and owners): add a member, change a role,
// remove one; mint a token (its secret shown once) and revoke tokens.
import { api, ApiError } from "../api";
import { field, h, select, when } from "../dom";
import type { Shell } from "./app";
import { form, table } from "./ui";

interface Member { userId: string; displayName: string; email: string | null; role: string; joinedAt: string }
interface Token { id: string; name: string | null; createdAt: string; expiresAt: string | null; revokedAt: string | null }

const roles = ["owner", "admin", "manager", "member", "viewer"].map((r) => ({ value: r, label: r }));

export async function membersView(shell: Shell): Promise<void> {
  const org = shell.org();
  shell.main.append(h("h1", {}, "Members and tokens"));
  if (!org) return;
  const base = `/api/organizations/${org.id}`;
  let members: Member[];
  try {
    members = await api<Member[]>(`${base}/members`, { signal: shell.signal });
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) {
      shell.main.append(h("p", {}, "Only admins and owners manage members and tokens."));
      return;
    }
    throw error;
  }
  const reload = () => shell.go(location.pathname);
  const tokensOf = h("div", { "aria-live": "polite" });

  shell.main.append(table("Members", ["Name", "E-mail", "Role", "Joined", ""], members.map((m) => {
    const role = select("role", roles, m.role);
    role.setAttribute("aria-label", `Role of ${m.displayName}`);
    role.addEventListener("change", async () => {
      try {
        await api(`${base}/members/${m.userId}`, { method: "PUT", body: { role: role.value } });
        shell.info(`${m.displayName} is now ${role.value}.`);
      } catch (error) {
        role.value = m.role;
        shell.error(error);
      }
    });
    const tokens = h("button", { type: "button", class: "secondary" }, `Tokens of ${m.displayName}`);
    tokens.addEventListener("click", () => void showTokens(shell, base, m, tokensOf).catch(shell.error));
    const remove = h("button", { type: "button", class: "danger" }, "Remove");
    remove.addEventListener("click", async () => {
      if (!confirm(`Remove ${m.displayName} from ${org.name}? Their tokens stop working here.`)) return;
      try {
        await api(`${base}/members/${m.userId}`, { method: "DELETE" });
        reload();
      } catch (error) {
        shell.error(error);
      }
    });
    return [m.displayName, m.email ?? "", role, when(m.joinedAt), h("span", {}, tokens, " ", remove)];
  })), tokensOf);

  const name = h("input", { name: "displayName", required: true });
  const email = h("input", { name: "email", type: "email" });
  const role = select("newRole", roles, "member");
  shell.main.append(form(shell, "Add a member", [field("Display name", name), field("E-mail", email), field("Role", role)], "Add member", async () => {
    await api(`${base}/members`, { method: "POST", body: { displayName: name.value, email: email.value || null, role: role.value } });
    reload();
  }));
}

async function showTokens(shell: Shell, base: string, member: Member, out: HTMLElement): Promise<void> {
  const tokens = await api<Token[]>(`${base}/members/${member.userId}/tokens`, { signal: shell.signal });
  const rows = tokens.map((t) => {
    const revoke = h("button", { type: "button", class: "danger", disabled: !!t.revokedAt }, "Revoke");
    revoke.addEventListener("click", async () => {
      try {
        await api(`${base}/tokens/${t.id}`, { method: "DELETE" });
        await showTokens(shell, base, member, out);
      } catch (error) {
        shell.error(error);
      }
    });
    return [t.name ?? "(unnamed)", when(t.createdAt), t.expiresAt ? when(t.expiresAt) : "never", t.revokedAt ? `revoked ${when(t.revokedAt)}` : "active", revoke];
  });
  const tokenName = h("input", { name: "tokenName", required: true });
  const secret = h("div", { "aria-live": "polite" });
  out.replaceChildren(
    h("h2", {}, `Tokens of ${member.displayName}`),
    table(`Tokens of ${member.displayName}`, ["Name", "Created", "Expires", "State", ""], rows),
    form(shell, "Issue a token", [field("Token name", tokenName)], "Issue token", async () => {
      const issued = await api<{ token: Token; secret: string }>(`${base}/members/${member.userId}/tokens`, { method: "POST", body: { name: tokenName.value } });
      await showTokens(shell, base, member, out);
      // Shown this once: the API keeps only its hash.
      out.append(h("p", {}, `The new token (shown only now):`), h("code", { class: "token" }, issued.secret));
    }),
    secret,
  );
}
