import { checkHealth } from "@/lib/health";
import { jsonOk } from "@/lib/http/response";

/** Liveness and readiness for load balancers: 200 when the database answers, 503 otherwise. */
export async function GET() {
  const health = await checkHealth();
  return jsonOk(health, { status: health.status === "ok" ? 200 : 503 });
}
