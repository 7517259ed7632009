using System.Net;
using Aria.Metrics.Server.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Aria.Metrics.Server.Tests;

/// <summary>The server as a hosted service: registration, configuration binding and validation at start.</summary>
public sealed class HostingTests
{
    [Fact(Timeout = 60_000)]
    public async Task AddAriaMetrics_serves_the_registered_registry_with_configured_options()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AriaMetrics:Path"] = "/scrape",
            ["AriaMetrics:EnableCompression"] = "false",
            ["AriaMetrics:CollectTimeout"] = "00:00:03",
        });
        MetricRegistry registry = SampleRegistries.Small();
        builder.Services.AddSingleton(registry);
        builder.Services.AddAriaMetrics(o =>
        {
            o.Port = 0;
            o.BindAddress = "127.0.0.1";
        });
        builder.Services.AddAriaMetrics(); // a second call adds no second server

        using IHost host = builder.Build();
        await host.StartAsync();
        try
        {
            MetricsHostedService hosted = Assert.Single(host.Services.GetServices<IHostedService>().OfType<MetricsHostedService>());
            Assert.NotNull(hosted.Server);
            Assert.Equal(TimeSpan.FromSeconds(3), host.Services.GetRequiredService<IOptions<MetricsServerOptions>>().Value.CollectTimeout);
            using HttpClient client = RunningServer.CreateClient(hosted.Server.Port);
            var request = new HttpRequestMessage(HttpMethod.Get, "scrape");
            request.Headers.TryAddWithoutValidation("Accept", NegotiationTests.Prometheus242);
            request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");
            using HttpResponseMessage response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Empty(response.Content.Headers.ContentEncoding);
            string body = await response.Content.ReadAsStringAsync();
            Assert.Contains("test_requests_total{method=\"get\",status=\"200\"} 5", body, StringComparison.Ordinal);
            await ExternalValidators.AssertValidOpenMetricsAsync(body);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public void Without_a_registered_registry_the_default_one_is_served()
    {
        var services = new ServiceCollection().AddAriaMetrics();
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Same(MetricRegistry.Default, provider.GetRequiredService<MetricRegistry>());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_bad_port_fails_the_host_at_start_with_an_options_validation_exception()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(new MetricRegistry());
        builder.Services.AddAriaMetrics(o => o.Port = 70000);
        using IHost host = builder.Build();

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Port is 70000", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_bad_METRICS_PORT_or_unreadable_section_fails_the_host_naming_them()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["METRICS_PORT"] = "eighty",
            ["AriaMetrics:EnableCompression"] = "sometimes",
        });
        builder.Services.AddSingleton(new MetricRegistry());
        builder.Services.AddAriaMetrics(o => o.BindAddress = "127.0.0.1");
        using IHost host = builder.Build();

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("METRICS_PORT is \"eighty\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("AriaMetrics", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void METRICS_PORT_in_configuration_overrides_the_section_and_code_overrides_both()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AriaMetrics:Port"] = "9000",
            ["METRICS_PORT"] = "9100",
        }).Build();

        MetricsServerOptions fromConfiguration = Resolve(configuration, configure: null);
        MetricsServerOptions fromCode = Resolve(configuration, o => o.Port = 9200);

        Assert.Equal(9100, fromConfiguration.Port);
        Assert.Equal(9200, fromCode.Port);
    }

    private static MetricsServerOptions Resolve(IConfiguration configuration, Action<MetricsServerOptions>? configure)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddAriaMetrics(configure);
        using ServiceProvider provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<MetricsServerOptions>>().Value;
    }
}
