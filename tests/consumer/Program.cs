using Aria.Metrics;
using Aria.Metrics.Catalog;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddAriaMetrics();              // Prometheus on a port of its own: 8081, or METRICS_PORT
var app = builder.Build();

Counter greetings = MetricRegistry.Default.CreateCounter("app_greetings_total", "Greetings served.", "language");
app.MapGet("/", () => { greetings.WithLabels("en").Inc(); return "Hello"; });
app.MapAriaMetrics();                           // and /metrics on the application's own pipeline

// Beyond the README's quick start: the Aria catalog, from its own package, on the same registry.
AriaMetrics.Default.RecordSessionCreated();
app.Run();
