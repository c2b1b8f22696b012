/**
 * The route to add when a service serves no health route: the kit never invents one (its probes
 * connect to the port instead), so DEPLOY.md shows the code that gives the probes a real route.
 */
import type { ServiceConfig } from '../src/config/types.js';

/** The health route the runbook suggests, by framework; `/health` answers 200 without touching the app's dependencies. */
export function healthRouteToAdd(s: Pick<ServiceConfig, 'stack' | 'framework' | 'webFramework'>): string {
  switch (s.framework) {
    case 'express':
      return "app.get('/health', (_req, res) => res.sendStatus(200));";
    case 'fastify':
      return "app.get('/health', async () => ({ status: 'ok' }));";
    case 'koa':
      return "router.get('/health', (ctx) => { ctx.status = 200; });";
    case 'hono':
      return "app.get('/health', (c) => c.text('ok'));";
    case 'nestjs':
      return "@Get('health') health() { return { status: 'ok' }; } (in a controller without a prefix)";
    case 'fastapi':
      return '@app.get("/health") def health(): return {"status": "ok"}';
    case 'starlette':
      return 'Route("/health", lambda request: PlainTextResponse("ok")) in the app\'s routes';
    case 'flask':
      return '@app.get("/health") def health(): return "ok"';
    case 'phoenix':
      return 'get "/health", HealthController, :show in the router\'s scope "/" (the action: def show(conn, _), do: send_resp(conn, 200, "ok"))';
    case 'plug':
      return 'get "/health" do send_resp(conn, 200, "ok") end in the Plug.Router';
    case 'slim':
      return "$app->get('/health', fn ($request, $response) => $response); in app/routes.php";
    case 'django':
      return 'path("health/", lambda request: HttpResponse("ok")) in the root urls.py, and healthPath: /health/';
    default:
      break;
  }
  if (s.framework === 'spring-boot') return 'the org.springframework.boot:spring-boot-starter-actuator dependency (it serves GET /actuator/health)';
  if (s.framework === 'quarkus') return 'the io.quarkus:quarkus-smallrye-health dependency (it serves GET /q/health)';
  if (s.framework === 'micronaut') return 'the io.micronaut:micronaut-management dependency (it serves GET /health)';
  if (s.stack === 'dotnet') return 'builder.Services.AddHealthChecks(); and app.MapHealthChecks("/healthz"); in Program.cs';
  if (s.stack === 'go') return 'mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })';
  if (s.stack === 'python') return 'a GET /health route that answers 200';
  if (s.webFramework === 'next') return 'app/api/health/route.ts: export function GET() { return new Response("ok"); }';
  if (s.webFramework === 'nuxt') return 'server/api/health.get.ts: export default defineEventHandler(() => "ok");';
  return 'a GET /health route that answers 200';
}
