using System.Diagnostics.Metrics;
using Aria.Metrics.Meters;

namespace Aria.Metrics.Tests.Meters;

/// <summary>
/// <see cref="MetricRegistry.AddMeters"/>: every instrument kind for every numeric type, judged by promtool, the
/// strict OpenMetrics parser and the reference protobuf schema; naming, buckets, the life of the bridge, and bad input kept from the caller.
/// Each test has a meter of a name of its own, since a <see cref="MeterListener"/> sees every meter of the process.
/// </summary>
public sealed class MeterBridgeTests : IDisposable
{
    private readonly string _meterName = "aria.tests." + Guid.NewGuid().ToString("N");
    private readonly Meter _meter;
    private readonly MetricRegistry _registry = new();
    private readonly List<MeterProblemEventArgs> _problems = [];

    public MeterBridgeTests()
    {
        _meter = new Meter(_meterName);
        _registry.MeterProblemFound += (_, problem) =>
        {
            lock (_problems)
            {
                _problems.Add(problem);
            }
        };
    }

    public void Dispose() => _meter.Dispose();

    [Fact]
    public async Task Every_instrument_kind_of_every_numeric_type_is_exposed_and_passes_the_external_judges()
    {
        using IDisposable bridge = _registry.AddMeters(_meterName);
        KeyValuePair<string, object?> tag = new("kind", "a");
        Exercise<byte>(1, tag);
        Exercise<short>(2, tag);
        Exercise<int>(3, tag);
        Exercise<long>(4, tag);
        Exercise<float>(5, tag);
        Exercise<double>(6, tag);
        Exercise<decimal>(7, tag);

        string text = Render.Text(_registry);
        foreach (string type in new[] { "byte", "int16", "int32", "int64", "single", "double", "decimal" })
        {
            Assert.Contains($"# TYPE {type}_requests_total counter\n", text, StringComparison.Ordinal);
            Assert.Contains($"# TYPE {type}_reads_total counter\n", text, StringComparison.Ordinal);
            Assert.Contains($"# TYPE {type}_active gauge\n", text, StringComparison.Ordinal);
            Assert.Contains($"# TYPE {type}_queued gauge\n", text, StringComparison.Ordinal);
            Assert.Contains($"# TYPE {type}_level gauge\n", text, StringComparison.Ordinal);
            Assert.Contains($"# TYPE {type}_temperature gauge\n", text, StringComparison.Ordinal);
            Assert.Contains($"# TYPE {type}_latency_seconds histogram\n", text, StringComparison.Ordinal);
        }

        // Values: the counters got theirs twice, the gauges and observables were set to it.
        Assert.Contains("int64_requests_total{kind=\"a\"} 8\n", text, StringComparison.Ordinal);
        Assert.Contains("int64_active{kind=\"a\"} 8\n", text, StringComparison.Ordinal);
        Assert.Contains("int64_level{kind=\"a\"} 4\n", text, StringComparison.Ordinal);
        Assert.Contains("int64_reads_total{kind=\"a\"} 4\n", text, StringComparison.Ordinal);
        Assert.Contains("int64_queued{kind=\"a\"} 4\n", text, StringComparison.Ordinal);
        Assert.Contains("int64_temperature{kind=\"a\"} 4\n", text, StringComparison.Ordinal);
        Assert.Contains("int64_latency_seconds_count{kind=\"a\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("int64_latency_seconds_sum{kind=\"a\"} 4\n", text, StringComparison.Ordinal);
        Assert.Contains("# HELP double_requests_total A counter of double.\n", text, StringComparison.Ordinal);

        await ExternalValidators.AssertValidTextAsync(text);
        await ExternalValidators.AssertValidOpenMetricsAsync(Render.OpenMetrics(_registry));
        Assert.Equal(_registry.Families.Count, (await ReferenceProtobuf.DecodeAsync(Render.Bytes(_registry, Aria.Metrics.Exposition.ExpositionFormat.Protobuf))).Length);
        Assert.Empty(_problems);
    }

    [Fact]
    public void Advised_bucket_boundaries_are_used_and_unadvised_histograms_get_the_defaults_for_their_unit()
    {
        using IDisposable bridge = _registry.AddMeters(_meterName);
        _meter.CreateHistogram("advised", "s", null, null, new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.2, 0.4] }).Record(0.15);
        _meter.CreateHistogram<int>("plain.seconds", "s").Record(1);
        _meter.CreateHistogram<long>("plain.bytes", "By").Record(100);

        Assert.Equal([0.1, 0.2, 0.4], Family<Histogram>("advised_seconds").UpperBounds.ToArray());
        Assert.Equal(Buckets.Default.ToArray(), Family<Histogram>("plain_seconds").UpperBounds.ToArray());
        Assert.Equal(BridgedHistogram.OpenTelemetryDefaults, Family<Histogram>("plain_bytes").UpperBounds.ToArray());
        Assert.Contains("advised_seconds_bucket{le=\"0.2\"} 1\n", Render.Text(_registry), StringComparison.Ordinal);
    }

    [Fact]
    public void A_prefix_pattern_bridges_every_meter_it_starts_and_no_other()
    {
        using var inside = new Meter(_meterName + ".inside");
        using var outside = new Meter("other." + _meterName);
        using IDisposable bridge = _registry.AddMeters(_meterName + ".*");
        inside.CreateCounter<long>("seen").Add(1);
        outside.CreateCounter<long>("unseen").Add(1);
        _meter.CreateCounter<long>("exact.name.not.a.prefix.match").Add(1);

        Assert.Equal(["seen"], _registry.Families.Select(family => family.Name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a*b")]
    [InlineData("*x")]
    public void Malformed_meter_patterns_throw_naming_the_pattern(string pattern)
    {
        ArgumentException thrown = Assert.Throws<ArgumentException>(() => _registry.AddMeters(pattern));
        Assert.Contains($"'{pattern}'", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Disposing_the_bridge_stops_listening_and_removes_its_families_but_leaves_the_others()
    {
        Counter own = _registry.CreateCounter("own_total", "Not the bridge's.");
        IDisposable bridge = _registry.AddMeters(_meterName);
        Counter<long> counter = _meter.CreateCounter<long>("bridged");
        ObservableGauge<int> gauge = _meter.CreateObservableGauge("observed", () => 1);
        counter.Add(1);
        Assert.Contains("observed 1\n", Render.Text(_registry), StringComparison.Ordinal);

        bridge.Dispose();
        counter.Add(1);

        Assert.DoesNotContain(_registry.Families, family => family.Name is "bridged" or "observed");
        Assert.Contains(own, _registry.Families);
        Assert.Equal(0, _registry.CollectCallbackCount);

        // The names are free again: a new bridge registers them afresh.
        using IDisposable again = _registry.AddMeters(_meterName);
        counter.Add(5);
        Assert.Contains("bridged_total 5\n", Render.Text(_registry), StringComparison.Ordinal);
        GC.KeepAlive(gauge);
    }

    [Fact]
    public void Missing_tags_are_empty_values_and_extra_tags_are_dropped_counted_and_reported_once()
    {
        using IDisposable bridge = _registry.AddMeters(_meterName);
        Counter<long> counter = _meter.CreateCounter<long>("requests");
        counter.Add(1, new("method", "GET"), new("status", 200));
        counter.Add(1, new KeyValuePair<string, object?>("method", "POST"));
        counter.Add(1, new("method", "GET"), new("status", 200), new("extra", "x"));
        counter.Add(1, new("status", 200), new("method", "GET"), new("extra", "y"));

        string text = Render.Text(_registry);
        Assert.Contains("requests_total{method=\"GET\",status=\"200\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("requests_total{method=\"POST\",status=\"\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("metrics_meter_tags_dropped_total{metric=\"requests\"} 2\n", text, StringComparison.Ordinal);
        MeterProblemEventArgs problem = Assert.Single(_problems);
        Assert.Equal(MeterProblemKind.TagsDropped, problem.Kind);
        Assert.Contains("extra", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(_meterName, problem.Meter);

        // Once reported, dropping a tag costs its count and nothing more.
        KeyValuePair<string, object?> method = new("method", "GET");
        KeyValuePair<string, object?> status = new("status", "200");
        KeyValuePair<string, object?> extra = new("extra", "x");
        Assert.Equal(0, SteadyStateAllocation.Of(() =>
        {
            for (int i = 0; i < 1_000; i++)
            {
                counter.Add(1, method, status, extra);
            }
        }));
    }

    [Fact]
    public async Task A_name_taken_by_another_metric_refuses_the_instrument_without_reaching_the_caller()
    {
        _registry.CreateGauge("taken", "A gauge of the application's own.");
        using IDisposable bridge = _registry.AddMeters(_meterName);
        Counter<long> counter = _meter.CreateCounter<long>("taken");
        Histogram<double> histogram = _meter.CreateHistogram<double>("clash");
        Counter<double> clash = _meter.CreateCounter<double>("clash");
        for (int i = 0; i < 3; i++)
        {
            counter.Add(1);
            histogram.Record(1);
            clash.Add(1);
        }

        string text = Render.Text(_registry);
        Assert.Contains($"metrics_meter_instruments_refused_total{{meter=\"{_meterName}\",instrument=\"taken\",reason=\"name_taken\"}} 1\n", text, StringComparison.Ordinal);
        Assert.Contains($"metrics_meter_instruments_refused_total{{meter=\"{_meterName}\",instrument=\"clash\",reason=\"name_taken\"}} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE clash histogram\n", text, StringComparison.Ordinal);
        Assert.Equal(2, _problems.Count);
        Assert.All(_problems, problem => Assert.Equal(MeterProblemKind.NameTaken, problem.Kind));
        await ExternalValidators.AssertValidTextAsync(text);
    }

    [Fact]
    public void Values_a_family_cannot_take_are_dropped_counted_and_reported_once_per_instrument()
    {
        using IDisposable bridge = _registry.AddMeters(_meterName);
        Counter<int> counter = _meter.CreateCounter<int>("c");
        Histogram<double> histogram = _meter.CreateHistogram<double>("h");
        counter.Add(2);
        counter.Add(-1);
        counter.Add(-5);
        histogram.Record(double.NaN);
        histogram.Record(double.PositiveInfinity);
        histogram.Record(1);

        string text = Render.Text(_registry);
        Assert.Contains("c_total 2\n", text, StringComparison.Ordinal);
        Assert.Contains("h_count 1\n", text, StringComparison.Ordinal);
        Assert.Contains("metrics_meter_measurements_dropped_total{metric=\"c\",reason=\"invalid_value\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("metrics_meter_measurements_dropped_total{metric=\"h\",reason=\"invalid_value\"} 2\n", text, StringComparison.Ordinal);
        Assert.Equal(2, _problems.Count);
        Assert.All(_problems, problem => Assert.Equal(MeterProblemKind.InvalidValue, problem.Kind));
        Assert.Contains(_problems, problem => problem.Detail.Contains("measured -1", StringComparison.Ordinal));

        // Once reported, a bad value costs its count and nothing more.
        Assert.Equal(0, SteadyStateAllocation.Of(() =>
        {
            for (int i = 0; i < 1_000; i++)
            {
                counter.Add(-1);
                histogram.Record(double.NaN);
            }
        }));
    }

    [Fact]
    public void The_series_limit_applies_to_bridged_families()
    {
        _registry.DefaultSeriesLimit = 4;
        using IDisposable bridge = _registry.AddMeters(_meterName);
        Counter<long> counter = _meter.CreateCounter<long>("users");
        for (int user = 0; user < 10; user++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("user", user));
        }

        string text = Render.Text(_registry);
        Assert.Equal(4, Family<Counter>("users").SeriesCount);
        Assert.Contains("users_total{metrics_overflow=\"true\"} 7\n", text, StringComparison.Ordinal);
        Assert.Contains("metrics_series_refused_total{metric=\"users\"} 7\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_instrument_of_two_meters_of_one_name_shares_one_family()
    {
        using var twin = new Meter(_meterName);
        using IDisposable bridge = _registry.AddMeters(_meterName);
        _meter.CreateCounter<long>("shared").Add(2, new KeyValuePair<string, object?>("a", "1"));
        twin.CreateCounter<long>("shared").Add(3, new KeyValuePair<string, object?>("a", "1"));

        Assert.Contains("shared_total{a=\"1\"} 5\n", Render.Text(_registry), StringComparison.Ordinal);
        Assert.Empty(_problems);
    }

    [Fact]
    public void Tag_values_of_any_type_become_invariant_text_and_equal_values_in_new_instances_find_their_series()
    {
        using IDisposable bridge = _registry.AddMeters(_meterName);
        Counter<long> counter = _meter.CreateCounter<long>("typed");
        for (int i = 0; i < 3; i++)
        {
            // A new box and a new string each time: found by value, not identity, and no new series.
            counter.Add(1, new("code", (object)404), new("flag", true), new("ratio", 0.5), new("text", new string('x', 2)));
        }

        Assert.Contains("typed_total{code=\"404\",flag=\"true\",ratio=\"0.5\",text=\"xx\"} 3\n", Render.Text(_registry), StringComparison.Ordinal);
        Assert.Equal(1, Family<Counter>("typed").SeriesCount);
    }

    [Fact]
    public void A_measurement_with_up_to_three_tags_whose_series_exists_allocates_nothing()
    {
        using IDisposable bridge = _registry.AddMeters(_meterName);
        Counter<long> counter = _meter.CreateCounter<long>("hot");
        Histogram<double> histogram = _meter.CreateHistogram<double>("hot.duration", "s");
        UpDownCounter<int> upDown = _meter.CreateUpDownCounter<int>("hot.active");
        KeyValuePair<string, object?> method = new("method", "chat");
        KeyValuePair<string, object?> status = new("status", "200");
        KeyValuePair<string, object?> model = new("model", "gpt-4o");
        object boxedCode = 200;
        KeyValuePair<string, object?> code = new("code", boxedCode);
        Assert.Equal(0, SteadyStateAllocation.Of(() =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                counter.Add(1, method, status);
                counter.Add(1, status, method);
                histogram.Record(0.2, method, status, model);
                upDown.Add(1, code);
                upDown.Add(-1, code);
            }
        }));
    }

    [Fact]
    public async Task A_hanging_observable_callback_is_bounded_by_the_scrape_deadline()
    {
        using var release = new ManualResetEventSlim();
        using IDisposable bridge = _registry.AddMeters(_meterName);
        _meter.CreateObservableGauge("slow", () =>
        {
            release.Wait(TimeSpan.FromSeconds(30));
            return 1;
        });

        try
        {
            bool complete = await _registry.CollectAsync(TimeSpan.FromMilliseconds(200));
            Assert.False(complete);
            Assert.Equal(1, _registry.CollectCallbackTimeouts);
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public void An_observable_callback_that_throws_is_counted_and_the_others_are_still_read()
    {
        using IDisposable bridge = _registry.AddMeters(_meterName);
        _meter.CreateObservableCounter<int>("broken", int () => throw new InvalidOperationException("no reading"));
        _meter.CreateObservableGauge("fine", () => 7);

        string text = Render.Text(_registry);
        Assert.Contains("fine 7\n", text, StringComparison.Ordinal);
        Assert.Equal(1, _registry.CollectCallbackFailures);
    }

    private T Family<T>(string name)
        where T : MetricFamily => Assert.IsType<T>(_registry.Families.Single(family => family.Name == name));

    private void Exercise<T>(T value, KeyValuePair<string, object?> tag)
        where T : struct
    {
        string type = typeof(T).Name.ToLowerInvariant();
        Counter<T> counter = _meter.CreateCounter<T>($"{type}.requests", null, $"A counter of {type}.");
        counter.Add(value, tag);
        counter.Add(value, tag);
        UpDownCounter<T> upDown = _meter.CreateUpDownCounter<T>($"{type}.active", null, "An up-down counter.");
        upDown.Add(value, tag);
        upDown.Add(value, tag);
        _meter.CreateGauge<T>($"{type}.level", null, "A gauge.").Record(value, tag);
        _meter.CreateHistogram<T>($"{type}.latency", "s", "A histogram.").Record(value, tag);
        _meter.CreateObservableCounter($"{type}.reads", () => new Measurement<T>(value, tag), null, "An observable counter.");
        _meter.CreateObservableUpDownCounter($"{type}.queued", () => new Measurement<T>(value, tag), null, "An observable up-down counter.");
        _meter.CreateObservableGauge($"{type}.temperature", () => new Measurement<T>(value, tag), null, "An observable gauge.");
    }
}
