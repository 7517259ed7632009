using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Aria.Metrics.Server.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aria.Metrics.Server.Tests;

/// <summary>Starting, stopping, options, and what the server logs.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task Port_zero_binds_a_free_port_and_reports_it()
    {
        await using RunningServer server = await RunningServer.StartAsync(SampleRegistries.Small());

        Assert.InRange(server.Server.Port, 1, 65535);
        Assert.Equal(new Uri($"http://127.0.0.1:{server.Server.Port}/metrics"), server.Server.Url);
        Assert.Equal(HttpStatusCode.OK, (await server.ScrapeAsync()).Status);
    }

    [Fact]
    public async Task A_port_in_use_stops_start_up_with_a_message_naming_it_and_METRICS_PORT()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        int port = ((IPEndPoint)holder.LocalEndpoint).Port;

        IOException error = await Assert.ThrowsAsync<IOException>(() =>
            MetricsServer.StartAsync(new MetricRegistry(), new MetricsServerOptions { Port = port, BindAddress = "127.0.0.1" }));

        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.Contains("METRICS_PORT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopping_frees_the_port_and_is_idempotent()
    {
        RunningServer running = await RunningServer.StartAsync(SampleRegistries.Small());
        int port = running.Server.Port;
        await running.Server.StopAsync();
        await running.DisposeAsync();

        await using MetricsServer again = await MetricsServer.StartAsync(
            new MetricRegistry(), new MetricsServerOptions { Port = port, BindAddress = "127.0.0.1" });
        Assert.Equal(port, again.Port);
    }

    [Fact]
    public async Task Invalid_options_fail_with_every_problem_listed()
    {
        var options = new MetricsServerOptions
        {
            Port = 70000,
            BindAddress = "not-an-address",
            Path = "metrics",
            BasicAuthUsername = "user:name",
        };

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            MetricsServer.StartAsync(new MetricRegistry(), options));

        Assert.Equal(5, error.Failures.Count());
        Assert.Contains("Port is 70000", error.Message, StringComparison.Ordinal);
        Assert.Contains("BindAddress", error.Message, StringComparison.Ordinal);
        Assert.Contains("Path", error.Message, StringComparison.Ordinal);
        Assert.Contains("BasicAuthPassword", error.Message, StringComparison.Ordinal);
        Assert.Contains("may not contain ':'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("9123", 9123, true)]
    [InlineData(" 0 ", 0, true)]
    [InlineData("", MetricsServerOptions.DefaultPort, true)]
    [InlineData(null, MetricsServerOptions.DefaultPort, true)]
    [InlineData("80a", MetricsServerOptions.DefaultPort, false)]
    [InlineData("-1", MetricsServerOptions.DefaultPort, false)]
    [InlineData("65536", MetricsServerOptions.DefaultPort, false)]
    public void METRICS_PORT_overrides_the_default_port(string? value, int expectedPort, bool valid)
    {
        var options = new MetricsServerOptions();
        options.ApplyPortVariable(value);

        Assert.Equal(expectedPort, options.Port);
        IReadOnlyList<string> errors = options.Validate();
        Assert.Equal(valid, errors.Count == 0);
        if (!valid)
        {
            Assert.Contains("METRICS_PORT", Assert.Single(errors), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/metrics", true)]
    [InlineData("/internal/metrics", true)]
    [InlineData("/metrics/", true)]
    [InlineData("/a-b_c.d~e!$&'()*+,;=:@x", true)]
    [InlineData("metrics", false)]
    [InlineData("/", false)]
    [InlineData("", false)]
    [InlineData("/metrics%20", false)]
    [InlineData("/%6Detrics", false)]
    [InlineData("/a/../metrics", false)]
    [InlineData("/./metrics", false)]
    [InlineData("/metrics/..", false)]
    [InlineData("//metrics", false)]
    [InlineData("/a//metrics", false)]
    [InlineData("/metrics?x=1", false)]
    [InlineData("/metrics#top", false)]
    [InlineData("/met rics", false)]
    [InlineData("/métrics", false)]
    [InlineData("/metrics\\x", false)]
    public void Path_must_be_a_plain_absolute_path(string path, bool valid)
    {
        IReadOnlyList<string> errors = new MetricsServerOptions { Path = path }.Validate();

        Assert.Equal(valid, errors.Count == 0);
        if (!valid)
        {
            Assert.Contains("plain absolute path", Assert.Single(errors), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(601)]
    public void CollectTimeout_must_be_positive_and_at_most_ten_minutes(int seconds)
    {
        string error = Assert.Single(new MetricsServerOptions { CollectTimeout = TimeSpan.FromSeconds(seconds) }.Validate());

        Assert.Contains("CollectTimeout", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_are_the_engine_port_on_every_interface()
    {
        var options = new MetricsServerOptions();

        Assert.Equal(8081, options.Port);
        Assert.Equal("0.0.0.0", options.BindAddress);
        Assert.Equal("/metrics", options.Path);
        Assert.True(options.EnableCompression);
        Assert.Equal(TimeSpan.FromSeconds(5), options.CollectTimeout);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public async Task Start_stop_and_collect_callback_failures_are_logged_and_the_scrape_goes_on()
    {
        var provider = new CapturingLoggerProvider();
        using ILoggerFactory loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(provider).SetMinimumLevel(LogLevel.Trace));
        MetricRegistry registry = SampleRegistries.Small();
        registry.AddCollectCallback(() => throw new InvalidOperationException("collector broke"));

        await using (RunningServer server = await RunningServer.StartAsync(registry, loggerFactory: loggerFactory))
        {
            Scrape scrape = await server.ScrapeAsync();
            Assert.Equal(HttpStatusCode.OK, scrape.Status);
            Assert.Contains("metrics_collect_callback_errors_total 1", scrape.Body, StringComparison.Ordinal);
            await ExternalValidators.AssertValidTextAsync(scrape.Body);
        }

        LogEntry[] ours = provider.Entries.Where(e => e.Category == typeof(MetricsServer).FullName).ToArray();
        Assert.Contains(ours, e => e.Level == LogLevel.Information && e.Message.StartsWith("Serving metrics at http://127.0.0.1:", StringComparison.Ordinal));
        Assert.Contains(ours, e => e.Level == LogLevel.Warning && e.Exception?.Message == "collector broke");
        Assert.Contains(ours, e => e.Level == LogLevel.Information && e.Message.StartsWith("Stopped serving metrics", StringComparison.Ordinal));
        Assert.DoesNotContain(ours, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task Instrumentation_failures_are_logged_once_per_cause_and_counted_in_the_scrape()
    {
        var provider = new CapturingLoggerProvider();
        using ILoggerFactory loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(provider));
        MetricRegistry registry = SampleRegistries.Small();

        await using (RunningServer server = await RunningServer.StartAsync(registry, loggerFactory: loggerFactory))
        {
            for (int i = 0; i < 3; i++)
            {
                registry.ReportInstrumentationFailure("Tests.TrackSomethingAsync", new InvalidOperationException($"lost {i}"));
            }

            Scrape scrape = await server.ScrapeAsync();
            Assert.Contains("metrics_instrumentation_errors_total 3", scrape.Body, StringComparison.Ordinal);
            await ExternalValidators.AssertValidTextAsync(scrape.Body);
        }

        LogEntry logged = Assert.Single(provider.Entries, e => e.Exception is InvalidOperationException);
        Assert.Equal(LogLevel.Warning, logged.Level);
        Assert.Equal("lost 0", logged.Exception!.Message);
        Assert.Contains("Tests.TrackSomethingAsync", logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stopped_server_no_longer_reports_callback_failures()
    {
        var provider = new CapturingLoggerProvider();
        using ILoggerFactory loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(provider));
        var registry = new MetricRegistry();
        registry.AddCollectCallback(() => throw new InvalidOperationException("late"));
        await using (await MetricsServer.StartAsync(registry, new MetricsServerOptions { Port = 0, BindAddress = "127.0.0.1" }, loggerFactory))
        {
        }

        registry.Write(new System.Buffers.ArrayBufferWriter<byte>(), Aria.Metrics.Exposition.ExpositionFormat.PrometheusText);

        Assert.DoesNotContain(provider.Entries, e => e.Exception?.Message == "late");
    }

    [Fact]
    public async Task Stop_returns_promptly_with_idle_keep_alive_connections()
    {
        RunningServer server = await RunningServer.StartAsync(SampleRegistries.Small());
        Assert.Equal(HttpStatusCode.OK, (await server.ScrapeAsync()).Status);

        var watch = Stopwatch.StartNew();
        await server.DisposeAsync();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"Stopping took {watch.Elapsed}");
    }
}
