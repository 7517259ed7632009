using System.Runtime.InteropServices;
using Aria.Metrics;
using Aria.Metrics.Demo;
using Aria.Metrics.Server;
using Microsoft.Extensions.Logging;

// The engine's embedding, in miniature: one registry, one metrics server started with one call, a workload recording
// into the registry. METRICS_PORT overrides the port 8081; Ctrl+C or SIGTERM stops everything cleanly.
using var stop = new CancellationTokenSource();
using PosixSignalRegistration interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

using ILoggerFactory loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true));
MetricRegistry registry = MetricRegistry.Default;
MetricsServer server;
try
{
    server = await MetricsServer.StartAsync(registry, MetricsServerOptions.FromEnvironment(), loggerFactory, stop.Token);
}
catch (Exception exception) when (exception is IOException or Microsoft.Extensions.Options.OptionsValidationException)
{
    await Console.Error.WriteLineAsync(exception.Message);
    return 1;
}

await using (server)
{
    Console.WriteLine($"Aria metrics demo: serving {server.Url} (Ctrl+C to stop)");
    await DemoWorkload.RunAsync(registry, stop.Token);
}

Console.WriteLine("Aria metrics demo: stopped");
return 0;

void Stop(PosixSignalContext context)
{
    // Handled here: the process exits through the normal path, disposing the server, instead of being killed.
    context.Cancel = true;
    stop.Cancel();
}
