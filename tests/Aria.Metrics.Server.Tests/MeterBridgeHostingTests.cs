using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Aria.Metrics.Server.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aria.Metrics.Server.Tests;

/// <summary>
/// The meter bridge in a real ASP.NET Core application on 127.0.0.1: meters named in <c>AriaMetrics:Meters</c>, requests
/// served and made through <see cref="HttpClient"/>, a meter of the application's own with every instrument kind, and
/// the scrapes of the hosted metrics server judged by promtool and the strict OpenMetrics parser.
/// </summary>
public sealed partial class MeterBridgeHostingTests
{
    [Fact(Timeout = 120_000)]
    public async Task AspNetCore_and_HttpClient_request_durations_and_an_own_meter_are_served_lint_clean()
    {
        string ownMeter = "aria.app." + Guid.NewGuid().ToString("N");
        var registry = new MetricRegistry();
        var logs = new CapturingLoggerProvider();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AriaMetrics:Meters:0"] = "Microsoft.AspNetCore.Hosting",
            ["AriaMetrics:Meters:1"] = "System.Net.Http",
            ["AriaMetrics:Meters:2"] = ownMeter,
        });
        builder.Services.AddSingleton(registry);
        builder.Services.AddAriaMetrics(options =>
        {
            options.Port = 0;
            options.BindAddress = "127.0.0.1";
        });

        await using WebApplication app = builder.Build();
        using var meter = new Meter(ownMeter);
        Counter<long> orders = meter.CreateCounter<long>("shop.orders", "{order}", "Orders placed.");
        UpDownCounter<int> carts = meter.CreateUpDownCounter<int>("shop.open_carts", "{cart}", "Carts open.");
        Gauge<double> load = meter.CreateGauge<double>("shop.load", "1", "Share of capacity in use.");
        Histogram<double> basket = meter.CreateHistogram<double>("shop.basket.size", "By", "Basket sizes.");
        meter.CreateObservableCounter("shop.visits", () => 42L, "{visit}", "Visits so far.");
        meter.CreateObservableUpDownCounter("shop.staff", () => 3, "{person}", "Staff on shift.");
        meter.CreateObservableGauge("shop.temperature", () => 21.5, "Cel", "Shop temperature.");
        app.MapGet("/items/{id}", (int id) =>
        {
            orders.Add(1, new("shop.channel", "web"), new("payment", "card"));
            carts.Add(1, new KeyValuePair<string, object?>("shop.channel", "web"));
            load.Record(0.25);
            basket.Record(id * 100);
            return Results.Ok(id);
        });
        app.MapGet("/broken", () => Results.StatusCode(503));
        await app.StartAsync();
        int appPort = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single()).Port;
        MetricsHostedService hosted = app.Services.GetServices<IHostedService>().OfType<MetricsHostedService>().Single();

        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{appPort}/") };
            for (int i = 1; i <= 5; i++)
            {
                using HttpResponseMessage ok = await client.GetAsync(new Uri($"items/{i}", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            }

            using (HttpResponseMessage broken = await client.GetAsync(new Uri("broken", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, broken.StatusCode);
            }

            using (HttpResponseMessage missing = await client.GetAsync(new Uri("nowhere", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            }

            using HttpClient scraper = RunningServer.CreateClient(hosted.Server!.Port);
            string text = await scraper.GetStringAsync(new Uri("metrics", UriKind.Relative));
            using var request = new HttpRequestMessage(HttpMethod.Get, "metrics");
            request.Headers.TryAddWithoutValidation("Accept", NegotiationTests.Prometheus242);
            using HttpResponseMessage openMetrics = await scraper.SendAsync(request);
            string openMetricsBody = await openMetrics.Content.ReadAsStringAsync();
            using var protobufRequest = new HttpRequestMessage(HttpMethod.Get, "metrics");
            protobufRequest.Headers.TryAddWithoutValidation("Accept", NegotiationTests.Prometheus242NativeHistograms);
            using HttpResponseMessage protobuf = await scraper.SendAsync(protobufRequest);
            byte[] protobufBody = await protobuf.Content.ReadAsByteArrayAsync();

            // ASP.NET Core's histogram, with its advised boundaries (0.075 is not one of Aria's defaults) and route label.
            Assert.Contains("# TYPE http_server_request_duration_seconds histogram\n", text, StringComparison.Ordinal);
            Assert.Matches(ServerSeries("items/\\{id\\}", "200", "le=\"0\\.075\""), text);
            Assert.Matches(ServerCount("items/\\{id\\}", "200", 5), text);
            Assert.Matches(ServerCount("broken", "503", 1), text);

            // HttpClient's: method, status and the server it called.
            Assert.Contains("# TYPE http_client_request_duration_seconds histogram\n", text, StringComparison.Ordinal);
            Assert.Matches(new Regex($"http_client_request_duration_seconds_count\\{{[^}}]*http_request_method=\"GET\",http_response_status_code=\"200\",[^}}]*server_address=\"127\\.0\\.0\\.1\",server_port=\"{appPort}\"[^}}]*\\}} 5\\n"), text);

            // The application's own meter, every kind.
            Assert.Contains("shop_orders_total{payment=\"card\",shop_channel=\"web\"} 5\n", text, StringComparison.Ordinal);
            Assert.Contains("shop_open_carts{shop_channel=\"web\"} 5\n", text, StringComparison.Ordinal);
            Assert.Contains("shop_load_ratio 0.25\n", text, StringComparison.Ordinal);
            Assert.Contains("shop_basket_size_bytes_count 5\n", text, StringComparison.Ordinal);
            Assert.Contains("shop_visits_total 42\n", text, StringComparison.Ordinal);
            Assert.Contains("shop_staff 3\n", text, StringComparison.Ordinal);
            Assert.Contains("shop_temperature_celsius 21.5\n", text, StringComparison.Ordinal);

            await ExternalValidators.AssertValidTextAsync(text);
            await ExternalValidators.AssertValidOpenMetricsAsync(openMetricsBody);

            // The protobuf exposition carries the bridged families too, decoded by the reference schema.
            JsonElement[] families = await ReferenceProtobuf.DecodeAsync(protobufBody);
            Assert.Equal("HISTOGRAM", ReferenceProtobuf.Family(families, "http_server_request_duration_seconds").GetProperty("type").GetString());
            Assert.Equal("COUNTER", ReferenceProtobuf.Family(families, "shop_orders_total").GetProperty("type").GetString());
        }
        finally
        {
            await app.StopAsync();
        }

        // Stopping the host disposed the bridge: the bridged families are gone from the registry.
        Assert.DoesNotContain(registry.Families, family => family.Name.StartsWith("http_", StringComparison.Ordinal) || family.Name.StartsWith("shop_", StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_refused_instrument_is_logged_once_by_the_server()
    {
        string ownMeter = "aria.app." + Guid.NewGuid().ToString("N");
        var registry = new MetricRegistry();
        registry.CreateGauge("clash", "The application's own gauge.");
        var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(logs));
        await using RunningServer server = await RunningServer.StartAsync(registry, loggerFactory: loggerFactory);
        using IDisposable bridge = registry.AddMeters(ownMeter);
        using var meter = new Meter(ownMeter);
        Counter<long> clash = meter.CreateCounter<long>("clash");
        for (int i = 0; i < 5; i++)
        {
            clash.Add(1);
        }

        string body = await server.Client.GetStringAsync(new Uri("metrics", UriKind.Relative));
        Assert.Contains($"metrics_meter_instruments_refused_total{{meter=\"{ownMeter}\",instrument=\"clash\",reason=\"name_taken\"}} 1\n", body, StringComparison.Ordinal);
        LogEntry logged = Assert.Single(logs.Entries, entry => entry.Message.StartsWith("Bridged meter", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, logged.Level);
        Assert.Contains("clash", logged.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(MeterProblemKind.NameTaken), logged.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Micro*soft")]
    public void Malformed_meter_names_in_the_options_fail_validation(string meter)
    {
        var options = new MetricsServerOptions();
        options.Meters.Add(meter);

        Assert.Contains(options.Validate(), error => error.Contains("Meters holds", StringComparison.Ordinal));
    }

    private static Regex ServerSeries(string route, string status, string tail) =>
        new($"http_server_request_duration_seconds_bucket\\{{[^}}]*http_request_method=\"GET\",http_response_status_code=\"{status}\",http_route=\"/?{route}\"[^}}]*{tail}\\}} \\d+\\n");

    private static Regex ServerCount(string route, string status, int count) =>
        new($"http_server_request_duration_seconds_count\\{{[^}}]*http_request_method=\"GET\",http_response_status_code=\"{status}\",http_route=\"/?{route}\"[^}}]*\\}} {count}\\n");
}
