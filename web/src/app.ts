// What every screen shares: the session, the taxonomy, the network list, and
// role checks. A screen renders into `main` and may return a refresh function
// that the live feed calls when the log has moved.
import type { S, Session } from "./api";
import { label } from "./i18n";

export type Refresh = () => Promise<void>;
export type Screen = (app: App, main: HTMLElement, params: string[]) => Promise<Refresh | void>;

export class App {
  constructor(
    readonly session: Session,
    public taxonomy: S["Taxonomy"],
    public networks: S["NetworkSummary"][],
  ) {}

  // True once the overview has shown the networks fetched at sign-in.
  overviewShown = false;

  get role(): S["Role"] {
    return this.session.role;
  }
  isAdmin(): boolean {
    return this.role === "admin";
  }
  // Trends and coverage.
  isReader(): boolean {
    return this.role === "admin" || this.role === "analyst" || this.role === "auditor";
  }
  // History, audit log, access log, chain verification.
  isAuditor(): boolean {
    return this.role === "admin" || this.role === "auditor";
  }
  // May the token run commands on `network` (the server decides; this only
  // chooses what to offer)?
  mayCommand(network: string): boolean {
    if (this.role === "admin") return true;
    if (this.role !== "coordinator") return false;
    return this.session.networks.length === 0 || this.session.networks.includes(network);
  }
  // Personal fields of the network are shown in clear.
  seesPersonal(network: string): boolean {
    return this.mayCommand(network);
  }
  networkName(id: string | null | undefined): string {
    if (!id) return "–";
    const n = this.networks.find((x) => x.id === id);
    return n ? label(n.name, id) : id;
  }
  taxLabel(kind: "sectors" | "themes" | "meeting_formats" | "training_topics" | "target_groups", code: string | null | undefined): string {
    if (!code) return "–";
    const e = this.taxonomy[kind].find((x) => x.code === code);
    return e ? label(e.labels, code) : code;
  }
}
