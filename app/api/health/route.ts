import { checkHealth } from "@/lib/health";
import { jsonOk } from "@/lib/http/response";

/**
 * Readiness for load balancers: 200 while the database answers (Duo's state is reported in the body:
 * "degraded" means Duo has a problem the fail mode handles), 503 when the database does not.
 */
export async function GET() {
  const health = await checkHealth();
  return jsonOk(health, { status: health.status === "down" ? 503 : 200 });
}
