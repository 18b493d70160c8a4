/** The part of autocannon 9's API the benchmarks use (the package ships no types). */
declare module "autocannon" {
  interface AutocannonOptions {
    url: string;
    method?: "GET" | "POST";
    headers?: Record<string, string>;
    body?: string;
    connections?: number;
    duration?: number;
    /** Total requests; overrides duration. */
    amount?: number;
    workers?: number;
    /** Seconds before a request counts as timed out. */
    timeout?: number;
    /** Counted in `mismatches` when it returns false. */
    verifyBody?: (body: string) => boolean;
    requests?: Array<{
      method?: "GET" | "POST";
      path?: string;
      headers?: Record<string, string>;
      body?: string;
      setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
    }>;
  }
  export interface AutocannonRequest {
    method: string;
    path: string;
    headers: Record<string, string>;
    body?: string;
  }
  interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    p50: number;
    p90: number;
    p97_5: number;
    p99: number;
  }
  export interface AutocannonResult {
    requests: Histogram & { total: number };
    latency: Histogram;
    errors: number;
    timeouts: number;
    non2xx: number;
    mismatches: number;
    duration: number;
  }
  function autocannon(options: AutocannonOptions): Promise<AutocannonResult>;
  export default autocannon;
}
