using System.Buffers;
using Aria.Metrics.Cells;
using Aria.Metrics.Exposition;
using Aria.Metrics.Labels;

namespace Aria.Metrics;

/// <summary>
/// A set of metric families and the callbacks that refresh them, written out on each scrape. Registration is
/// idempotent: asking again for a family with the same definition returns the existing one, and any difference
/// throws. Scrapes take no lock: they read an immutable, name-sorted snapshot of the families. A scrape either
/// calls <see cref="Write"/> (callbacks on the calling thread, no deadline) or, to be safe from a hung callback,
/// <see cref="CollectAsync"/> with a deadline and then <see cref="WriteWithoutCollecting"/>.
/// </summary>
public sealed partial class MetricRegistry
{
    /// <summary>The series limit of every labeled family unless changed: <see cref="DefaultSeriesLimit"/>'s initial value.</summary>
    internal const int StandardSeriesLimit = 2000;

    private const string CallbackErrorsName = "metrics_collect_callback_errors_total";
    private const string CallbackTimeoutsName = "metrics_collect_callback_timeouts_total";
    private const string RefusalsFamilyName = "metrics_series_refused";
    private const string RefusalsName = RefusalsFamilyName + "_total";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, MetricFamily> _byFamilyName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MetricFamily> _bySampleName = new(StringComparer.Ordinal);
    private readonly Collector _collector;
    private MetricFamily[] _sorted = [];
    private CollectCallback[] _collectCallbacks = [];
    private Counter? _callbackFailures;
    private Counter? _callbackTimeouts;
    private ProcessMetrics? _processMetrics;
    private RuntimeMetrics? _runtimeMetrics;
    private Counter? _refusals;
    private int _defaultSeriesLimit = StandardSeriesLimit;
    private long _defaultExpiryTicks;

    /// <summary>Creates an empty registry on the system clock.</summary>
    public MetricRegistry()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Creates an empty registry whose series expiry reads <paramref name="timeProvider"/>'s monotonic timestamps.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> is null.</exception>
    public MetricRegistry(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        Time = timeProvider;
        _collector = new Collector(this);
    }

    /// <summary>The registry that the process-wide catalog and server use unless told otherwise.</summary>
    public static MetricRegistry Default { get; } = new();

    /// <summary>Raised when a collect callback throws; the scrape goes on without it.</summary>
    public event EventHandler<Exception>? CollectCallbackFailed;

    /// <summary>
    /// Raised when a scrape collecting with <see cref="CollectAsync"/> goes on without a callback that had not returned
    /// by its deadline: once per collection for each callback it left out, from the thread of the scrape or of the
    /// collection.
    /// </summary>
    public event EventHandler<CollectCallbackTimeout>? CollectCallbackTimedOut;

    /// <summary>
    /// Raised once when a family first refuses a label set for its series limit (again after its
    /// <see cref="MetricFamily{TSeries}.Clear"/> or a change of its limit), on the thread of the lookup that was refused;
    /// <c>Aria.Metrics.Server</c> logs it as a warning. A handler that throws is ignored.
    /// </summary>
    public event EventHandler<SeriesLimitReachedEventArgs>? SeriesLimitReached;

    /// <summary>
    /// The series limit of every labeled family that does not set its own <see cref="MetricFamily{TSeries}.SeriesLimit"/>:
    /// 2000 unless changed, the overflow series included. A change applies at once to the families that follow it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int DefaultSeriesLimit
    {
        get => Volatile.Read(ref _defaultSeriesLimit);
        set
        {
            if (value < 1)
            {
                Errors.InvalidSeriesLimit(null, value);
            }

            Volatile.Write(ref _defaultSeriesLimit, value);
            foreach (MetricFamily family in Volatile.Read(ref _sorted))
            {
                family.OnSeriesLimitChanged();
            }
        }
    }

    /// <summary>
    /// The series expiry of every labeled family that does not set its own <see cref="MetricFamily{TSeries}.SeriesExpiry"/>:
    /// null (never) unless changed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan? DefaultSeriesExpiry
    {
        get
        {
            long ticks = Volatile.Read(ref _defaultExpiryTicks);
            return ticks == 0 ? null : TimeSpan.FromTicks(ticks);
        }

        set
        {
            if (value <= TimeSpan.Zero)
            {
                Errors.InvalidSeriesExpiry(null, value.Value);
            }

            Volatile.Write(ref _defaultExpiryTicks, value?.Ticks ?? 0);
        }
    }

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

    /// <summary>How many times a collection went on without a callback that had not returned by its deadline.</summary>
    public long CollectCallbackTimeouts => (long)(Volatile.Read(ref _callbackTimeouts)?.Value ?? 0);

    /// <summary>How many scrapes are waiting for the collection in flight.</summary>
    internal int ScrapesWaitingForCollection => _collector.Waiting;

    /// <summary>The clock series expiry reads.</summary>
    internal TimeProvider Time { get; }

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
    /// A callback never runs twice at once; different callbacks may run at the same time. One that throws is counted
    /// in <c>metrics_collect_callback_errors_total</c> and reported through <see cref="CollectCallbackFailed"/>; one that
    /// misses the deadline of <see cref="CollectAsync"/> is counted in <c>metrics_collect_callback_timeouts_total</c>
    /// and reported through <see cref="CollectCallbackTimedOut"/>. Either way the scrape goes on. Both counters are
    /// registered with the first callback, so they start at 0.
    /// </summary>
    /// <returns>A registration; disposing it removes the callback (a scrape already running may still call it once).</returns>
    /// <exception cref="InvalidOperationException">The name of a self-metric counter is taken by a different metric.</exception>
    public IDisposable AddCollectCallback(Action callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        Counter failures = CreateCounter(CallbackErrorsName, "Collect callbacks that threw during a scrape.");
        Counter timeouts = CreateCounter(CallbackTimeoutsName, "Collect callbacks that a scrape went on without because they had not returned by its deadline.");
        var entry = new CollectCallback(callback);
        lock (_gate)
        {
            Volatile.Write(ref _callbackFailures, failures);
            Volatile.Write(ref _callbackTimeouts, timeouts);
            Volatile.Write(ref _collectCallbacks, [.. _collectCallbacks, entry]);
        }

        return new CallbackRegistration(this, entry);
    }

    /// <summary>
    /// Runs the collect callbacks for a scrape, waiting at most <paramref name="timeout"/>, so that a hung callback
    /// cannot hold the scrape; then call <see cref="WriteWithoutCollecting"/>. The callbacks run on threads of the
    /// engine's own, never the caller's nor the thread pool's, and a scrape that arrives while a collection is in flight
    /// shares it rather than run them again. A callback that has not returned by the deadline is left out of the scrape (its
    /// values stay as it last set them), counted and reported; one still running since an earlier scrape is not
    /// started again, so it holds one thread however many scrapes arrive, and it is back in the scrapes once it returns.
    /// </summary>
    /// <param name="timeout">How long to wait for the callbacks; <see cref="Timeout.InfiniteTimeSpan"/> waits for them all.</param>
    /// <param name="cancellationToken">Stops the wait (the collection itself goes on, for the scrapes sharing it).</param>
    /// <returns>True when every callback returned in time; false when some were left out.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is neither positive nor infinite.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public ValueTask<bool> CollectAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            Errors.InvalidCollectTimeout(timeout);
        }

        CollectCallback[] callbacks = Volatile.Read(ref _collectCallbacks);
        return callbacks.Length == 0 ? ValueTask.FromResult(true) : _collector.CollectAsync(callbacks, timeout, cancellationToken);
    }

    private void RemoveCollectCallback(CollectCallback callback)
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
    /// Runs the collect callbacks on the calling thread, one after another, then writes every family into
    /// <paramref name="output"/>. Once the registry has been written once, writing it again allocates nothing unless
    /// new series or families appeared. There is no deadline: a callback that never returns blocks this call, and so
    /// does one hung in a collection of <see cref="CollectAsync"/>, since a callback never runs twice at once. Where a
    /// callback may hang, scrape with <see cref="CollectAsync"/> and <see cref="WriteWithoutCollecting"/>.
    /// </summary>
    public void Write(IBufferWriter<byte> output, ExpositionFormat format)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (CollectCallback callback in Volatile.Read(ref _collectCallbacks))
        {
            callback.Run(this);
        }

        WriteWithoutCollecting(output, format);
    }

    /// <summary>
    /// Writes every family into <paramref name="output"/> as it stands, without running the collect callbacks: the
    /// second half of a scrape after <see cref="CollectAsync"/>. Allocates nothing once the registry has been written.
    /// </summary>
    public void WriteWithoutCollecting(IBufferWriter<byte> output, ExpositionFormat format)
    {
        ArgumentNullException.ThrowIfNull(output);
        FormatEncoder encoder = FormatEncoder.For(format, OpenMetricsCreatedSamples);
        var writer = new ExpositionWriter(output);
        foreach (MetricFamily family in Volatile.Read(ref _sorted))
        {
            family.Write(encoder, ref writer);
        }

        encoder.End(ref writer);
        writer.Flush();
    }

    /// <summary>Counts and reports a callback that threw.</summary>
    internal void OnCollectCallbackFailed(Exception exception)
    {
        Volatile.Read(ref _callbackFailures)?.Inc();
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

    /// <summary>Counts and reports a callback that a scrape went on without.</summary>
    internal void OnCollectCallbackTimedOut(CollectCallback callback, TimeSpan runningFor)
    {
        Volatile.Read(ref _callbackTimeouts)?.Inc();
        EventHandler<CollectCallbackTimeout>? handlers = CollectCallbackTimedOut;
        if (handlers is null)
        {
            return;
        }

        try
        {
            handlers(this, new CollectCallbackTimeout(callback.Action, runningFor));
        }
#pragma warning disable CA1031 // A failing subscriber must not fail the scrape.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>
    /// The series of <c>metrics_series_refused_total{metric}</c> that counts <paramref name="family"/>'s refused lookups,
    /// registering the counter on first use. Its own limit is off: it has one series per family at most.
    /// </summary>
    internal CounterSeries RefusalsOf(MetricFamily family)
    {
        Counter refusals = Volatile.Read(ref _refusals) ?? RegisterRefusals();
        return refusals.WithLabels(family.Name);
    }

    /// <summary>Raises <see cref="SeriesLimitReached"/>; a failing handler must not fail the lookup that was refused.</summary>
    internal void ReportSeriesLimitReached(MetricFamily family, int limit)
    {
        try
        {
            SeriesLimitReached?.Invoke(this, new SeriesLimitReachedEventArgs(family, limit));
        }
#pragma warning disable CA1031 // The lookup that triggered the warning must still get its overflow series.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>
    /// Adds a family, or returns the one registered under its name when the definitions agree. Only the registry's own
    /// metrics (<paramref name="own"/>) may take the names it keeps for them.
    /// </summary>
    internal T Register<T>(T candidate, bool own = false)
        where T : MetricFamily
    {
        string[] exposed = [candidate.FamilyName, .. candidate.ExposedNames];
        if (!own && exposed.FirstOrDefault(IsReservedForRefusals) is { } reserved)
        {
            Errors.ReservedMetricName(candidate.Name, reserved);
        }

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

            candidate.Registry = this;
            _byFamilyName.Add(candidate.FamilyName, candidate);
            MetricFamily[] sorted = [.. _sorted, candidate];
            Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.FamilyName, b.FamilyName));
            Volatile.Write(ref _sorted, sorted);
            return candidate;
        }
    }

    private static bool IsReservedForRefusals(string sample) =>
        sample is RefusalsFamilyName or RefusalsName or RefusalsFamilyName + "_created";

    private Counter RegisterRefusals()
    {
        var candidate = new Counter(
            RefusalsName,
            "Lookups of label sets that a family's series limit refused; their measurements went to its overflow series.",
            ["metric"]);
        candidate.SeriesLimit = int.MaxValue;
        Counter refusals = Register(candidate, own: true);
        Volatile.Write(ref _refusals, refusals);
        return refusals;
    }

    /// <summary>Removes its callback once, however often it is disposed.</summary>
    private sealed class CallbackRegistration(MetricRegistry registry, CollectCallback callback) : IDisposable
    {
        private MetricRegistry? _registry = registry;

        public void Dispose() => Interlocked.Exchange(ref _registry, null)?.RemoveCollectCallback(callback);
    }
}
