using System.Buffers;
using Aria.Metrics.Cells;
using Aria.Metrics.Exposition;
using Aria.Metrics.Labels;

namespace Aria.Metrics;

/// <summary>
/// A set of metric families and the callbacks that refresh them, written out on each scrape. Registration is
/// idempotent: asking again for a family with the same definition returns the existing one, and any difference
/// throws. Scrapes take no lock: they read an immutable, name-sorted snapshot of the families.
/// </summary>
public sealed class MetricRegistry
{
    private const string CallbackErrorsName = "metrics_collect_callback_errors_total";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, MetricFamily> _byFamilyName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MetricFamily> _bySampleName = new(StringComparer.Ordinal);
    private MetricFamily[] _sorted = [];
    private Action[] _collectCallbacks = [];
    private Counter? _callbackFailures;
    private ProcessMetrics? _processMetrics;
    private RuntimeMetrics? _runtimeMetrics;

    /// <summary>The registry that the process-wide catalog and server use unless told otherwise.</summary>
    public static MetricRegistry Default { get; } = new();

    /// <summary>Raised when a collect callback throws; the scrape goes on without it.</summary>
    public event EventHandler<Exception>? CollectCallbackFailed;

    /// <summary>The families, sorted by name: the order of the exposition.</summary>
    public IReadOnlyList<MetricFamily> Families => Volatile.Read(ref _sorted);

    /// <summary>
    /// Whether OpenMetrics scrapes carry a <c>_created</c> sample (Unix seconds) after every counter and histogram
    /// series. Off by default, as in client_golang: a Prometheus without its created-timestamp feature stores each as
    /// one more series. The protobuf format carries the same time as its start timestamp whatever this says.
    /// </summary>
    public bool OpenMetricsCreatedSamples { get; set; }

    /// <summary>How many collect callbacks are registered.</summary>
    internal int CollectCallbackCount => Volatile.Read(ref _collectCallbacks).Length;

    /// <summary>How many times a collect callback has thrown.</summary>
    public long CollectCallbackFailures => (long)(Volatile.Read(ref _callbackFailures)?.Value ?? 0);

    /// <summary>Gets or registers a counter. A trailing <c>_total</c> in <paramref name="name"/> is optional.</summary>
    /// <exception cref="ArgumentException">The name, help text or a label name is invalid.</exception>
    /// <exception cref="InvalidOperationException">The name is registered with a different definition.</exception>
    public Counter CreateCounter(string name, string help, params string[] labelNames)
    {
        MetricFamily.ValidateDefinition(name, help);
        return Register(new Counter(name, help, LabelNames.Validate(name, labelNames, isHistogram: false)));
    }

    /// <summary>Gets or registers a counter with <paramref name="options"/>. A trailing <c>_total</c> in <paramref name="name"/> is optional.</summary>
    /// <exception cref="ArgumentException">The name, help text or a label name is invalid.</exception>
    /// <exception cref="InvalidOperationException">The name is registered with a different definition.</exception>
    public Counter CreateCounter(string name, string help, CounterOptions options, params string[] labelNames)
    {
        MetricFamily.ValidateDefinition(name, help);
        ArgumentNullException.ThrowIfNull(options);
        return Register(new Counter(name, help, LabelNames.Validate(name, labelNames, isHistogram: false), options));
    }

    /// <summary>
    /// Gets or registers a counter whose values are set from a monotonic source at scrape time rather than incremented;
    /// it is exposed exactly like a counter. A trailing <c>_total</c> in <paramref name="name"/> is optional.
    /// </summary>
    /// <exception cref="ArgumentException">The name, help text or a label name is invalid.</exception>
    /// <exception cref="InvalidOperationException">The name is registered with a different definition.</exception>
    public ObservedCounter CreateObservedCounter(string name, string help, params string[] labelNames)
    {
        MetricFamily.ValidateDefinition(name, help);
        return Register(new ObservedCounter(name, help, LabelNames.Validate(name, labelNames, isHistogram: false)));
    }

    /// <summary>Gets or registers a gauge.</summary>
    /// <exception cref="ArgumentException">The name, help text or a label name is invalid.</exception>
    /// <exception cref="InvalidOperationException">The name is registered with a different definition.</exception>
    public Gauge CreateGauge(string name, string help, params string[] labelNames)
    {
        MetricFamily.ValidateDefinition(name, help);
        return Register(new Gauge(name, help, LabelNames.Validate(name, labelNames, isHistogram: false)));
    }

    /// <summary>Gets or registers a histogram with <see cref="Buckets.Default"/>.</summary>
    /// <exception cref="ArgumentException">The name, help text or a label name is invalid.</exception>
    /// <exception cref="InvalidOperationException">The name is registered with a different definition.</exception>
    public Histogram CreateHistogram(string name, string help, params string[] labelNames) =>
        CreateHistogram(name, help, Buckets.Default.ToArray(), labelNames);

    /// <summary>Gets or registers a histogram with the given bucket upper bounds (<c>+Inf</c> is implied).</summary>
    /// <exception cref="ArgumentException">The name, help text, a label name or the buckets are invalid.</exception>
    /// <exception cref="InvalidOperationException">The name is registered with a different definition.</exception>
    public Histogram CreateHistogram(string name, string help, double[] buckets, params string[] labelNames)
    {
        MetricFamily.ValidateDefinition(name, help);
        ArgumentNullException.ThrowIfNull(buckets);
        string[] names = LabelNames.Validate(name, labelNames, isHistogram: true);
        double[] bounds = Buckets.Validate(name, buckets);
        return Register(new Histogram(name, help, names, bounds));
    }

    /// <summary>Gets or registers a histogram with <paramref name="options"/>: its buckets and how it takes exemplars.</summary>
    /// <exception cref="ArgumentException">The name, help text, a label name or the buckets are invalid.</exception>
    /// <exception cref="InvalidOperationException">The name is registered with a different definition.</exception>
    public Histogram CreateHistogram(string name, string help, HistogramOptions options, params string[] labelNames)
    {
        MetricFamily.ValidateDefinition(name, help);
        ArgumentNullException.ThrowIfNull(options);
        string[] names = LabelNames.Validate(name, labelNames, isHistogram: true);
        NativeHistogramSettings? native = NativeHistogramSettings.From(name, options);
        double[] bounds = options.Buckets is null
            ? native is null ? Buckets.Default.ToArray() : []
            : Buckets.Validate(name, options.Buckets.ToArray(), allowNone: native is not null);
        return Register(new Histogram(name, help, names, bounds, options, native));
    }

    /// <summary>Gets or registers an info family. A trailing <c>_info</c> in <paramref name="name"/> is optional.</summary>
    /// <exception cref="ArgumentException">The name, help text or a label name is invalid.</exception>
    /// <exception cref="InvalidOperationException">The name is registered with a different definition.</exception>
    public Info CreateInfo(string name, string help, params string[] labelNames)
    {
        MetricFamily.ValidateDefinition(name, help);
        return Register(new Info(name, help, LabelNames.Validate(name, labelNames, isHistogram: false)));
    }

    /// <summary>
    /// Registers the <c>process_*</c> families (client_golang's names) and a collect callback that reads them from
    /// Linux procfs once per scrape. Calling it again returns the same instance.
    /// </summary>
    /// <returns>The process metrics of this registry, or null where procfs is unavailable (any system but Linux).</returns>
    /// <exception cref="InvalidOperationException">One of the names is registered with a different definition.</exception>
    public ProcessMetrics? AddProcessMetrics()
    {
        if (!ProcessMetrics.IsSupported)
        {
            return null;
        }

        lock (_gate)
        {
            return _processMetrics ??= new ProcessMetrics(this);
        }
    }

    /// <summary>
    /// Registers the <c>dotnet_*</c> runtime families and a collect callback that reads them at every scrape. Calling it
    /// again returns the same instance.
    /// </summary>
    /// <exception cref="InvalidOperationException">One of the names is registered with a different definition.</exception>
    public RuntimeMetrics AddRuntimeMetrics()
    {
        lock (_gate)
        {
            return _runtimeMetrics ??= new RuntimeMetrics(this);
        }
    }

    /// <summary>
    /// Adds a callback that runs at every scrape, before anything is written: the place to read values on demand.
    /// Callbacks may run concurrently when scrapes overlap. One that throws is counted in
    /// <c>metrics_collect_callback_errors_total</c> (registered with the first callback, so it starts at 0) and
    /// reported through <see cref="CollectCallbackFailed"/>; the scrape goes on.
    /// </summary>
    /// <returns>A registration; disposing it removes the callback (a scrape already running may still call it once).</returns>
    /// <exception cref="InvalidOperationException">The name of the failure counter is taken by a different metric.</exception>
    public IDisposable AddCollectCallback(Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        Counter failures = CreateCounter(CallbackErrorsName, "Collect callbacks that threw during a scrape.");
        lock (_gate)
        {
            Volatile.Write(ref _callbackFailures, failures);
            Volatile.Write(ref _collectCallbacks, [.. _collectCallbacks, callback]);
        }

        return new CallbackRegistration(this, callback);
    }

    private void RemoveCollectCallback(Action callback)
    {
        lock (_gate)
        {
            int index = Array.IndexOf(_collectCallbacks, callback);
            if (index >= 0)
            {
                Volatile.Write(ref _collectCallbacks, [.. _collectCallbacks[..index], .. _collectCallbacks[(index + 1)..]]);
            }
        }
    }

    /// <summary>
    /// Runs the collect callbacks and writes every family into <paramref name="output"/>. Once the registry has been
    /// written once, writing it again allocates nothing unless new series or families appeared.
    /// </summary>
    public void Write(IBufferWriter<byte> output, ExpositionFormat format)
    {
        ArgumentNullException.ThrowIfNull(output);
        RunCollectCallbacks();

        FormatEncoder encoder = FormatEncoder.For(format, OpenMetricsCreatedSamples);
        var writer = new ExpositionWriter(output);
        foreach (MetricFamily family in Volatile.Read(ref _sorted))
        {
            family.Collect(encoder, ref writer);
        }

        encoder.End(ref writer);
        writer.Flush();
    }

    private void RunCollectCallbacks()
    {
        foreach (Action callback in Volatile.Read(ref _collectCallbacks))
        {
            try
            {
                callback();
            }
#pragma warning disable CA1031 // A failing callback must not take the rest of the scrape down with it.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                Volatile.Read(ref _callbackFailures)?.Inc();
                ReportCallbackFailure(exception);
            }
        }
    }

    private void ReportCallbackFailure(Exception exception)
    {
        try
        {
            CollectCallbackFailed?.Invoke(this, exception);
        }
#pragma warning disable CA1031 // A failing subscriber (a logger, say) must not fail the scrape either.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private T Register<T>(T candidate)
        where T : MetricFamily
    {
        lock (_gate)
        {
            if (_byFamilyName.TryGetValue(candidate.FamilyName, out MetricFamily? existing))
            {
                string? difference = existing.DescribeDifference(candidate);
                if (difference is not null || existing is not T)
                {
                    Errors.ConflictingRegistration(candidate.Name, difference ?? "it is a different kind of metric");
                }

                return (T)existing;
            }

            string[] exposed = [candidate.FamilyName, .. candidate.ExposedNames];
            foreach (string sample in exposed)
            {
                if (_bySampleName.TryGetValue(sample, out MetricFamily? owner))
                {
                    Errors.NameCollision(candidate.Name, sample, owner.Name);
                }
            }

            foreach (string sample in exposed)
            {
                _bySampleName[sample] = candidate;
            }

            _byFamilyName.Add(candidate.FamilyName, candidate);
            MetricFamily[] sorted = [.. _sorted, candidate];
            Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.FamilyName, b.FamilyName));
            Volatile.Write(ref _sorted, sorted);
            return candidate;
        }
    }

    /// <summary>Removes its callback once, however often it is disposed.</summary>
    private sealed class CallbackRegistration(MetricRegistry registry, Action callback) : IDisposable
    {
        private MetricRegistry? _registry = registry;

        public void Dispose() => Interlocked.Exchange(ref _registry, null)?.RemoveCollectCallback(callback);
    }
}
