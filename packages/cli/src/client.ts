import { errorEnvelopeSchema } from "@keyward/contracts/errors";
import { CliError } from "./errors.ts";

export interface ApiClient {
  baseUrl: string;
  request<T>(method: string, path: string, body?: unknown): Promise<T>;
}

/** A small JSON client whose every failure becomes a one-line CliError with the server's code. */
export function createClient(baseUrl: string, token: string): ApiClient {
  const base = baseUrl.replace(/\/+$/, "");
  return {
    baseUrl: base,
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      let res: Response;
      try {
        res = await fetch(`${base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: "application/json",
            "user-agent": "keyward-cli/0.1",
            ...(body === undefined ? {} : { "content-type": "application/json" }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(15_000),
        });
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code;
        throw new CliError(
          `Cannot reach ${base}${cause ? ` (${cause})` : ""}. Is the server running?`,
        );
      }
      if (res.status === 204) return undefined as T;
      const text = await res.text();
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        throw new CliError(`${base} did not answer like a Keyward server (HTTP ${res.status}).`);
      }
      if (!res.ok) {
        const envelope = errorEnvelopeSchema.safeParse(json);
        if (envelope.success) {
          const { code, message, issues } = envelope.data.error;
          const detail = issues?.length
            ? ` (${issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")})`
            : "";
          const hint =
            code === "unauthenticated" || code === "session_expired" || code === "invalid_token"
              ? " Run `keyward login` again."
              : "";
          throw new CliError(`${message}${detail} [${code}]${hint}`, 1, code);
        }
        throw new CliError(`HTTP ${res.status} from ${base}${path}`);
      }
      return json as T;
    },
  };
}
