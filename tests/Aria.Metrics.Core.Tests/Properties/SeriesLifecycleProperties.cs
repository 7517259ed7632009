using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Aria.Metrics.Tests.Properties;

/// <summary>
/// The laws of the series lifecycle, against a model: whatever mix of lookups, updates through kept handles,
/// removals, clears and scrapes, every scrape exposes exactly the series the model says are attached, each with every
/// increment made to it; new label sets never take the family past its limit; and no increment is ever lost.
/// </summary>
public sealed class SeriesLifecycleProperties
{
    private static readonly string[] Labels = ["a", "b", "c", "d", "e", "f"];

    /// <summary>One step: what to do, and to which label set.</summary>
    public enum Step
    {
        LookUpAndInc,
        IncThroughHandle,
        Remove,
        Clear,
        Scrape,
    }

    public static Arbitrary<(Step, int)[]> Steps() =>
        Gen.Zip(
                Gen.Frequency(
                    (6, Gen.Constant(Step.LookUpAndInc)),
                    (4, Gen.Constant(Step.IncThroughHandle)),
                    (3, Gen.Constant(Step.Remove)),
                    (1, Gen.Constant(Step.Clear)),
                    (3, Gen.Constant(Step.Scrape))),
                Gen.Choose(0, Labels.Length - 1))
            .ArrayOf()
            .ToArbitrary();

    [Property(MaxTest = 300, Arbitrary = [typeof(SeriesLifecycleProperties)])]
    public bool Scrapes_show_exactly_the_attached_series_with_every_increment(PositiveInt rawLimit, (Step Step, int Label)[] steps)
    {
        int limit = ((rawLimit.Get - 1) % 5) + 1;
        var registry = new MetricRegistry();
        Counter counter = registry.CreateCounter("c_total", "C.", "id");
        counter.SeriesLimit = limit;
        var model = new Model(limit);

        // Every handle is kept, so no series is ever collected and the model need not guess what the GC did.
        var handles = new Dictionary<string, CounterSeries>();
        CounterSeries? overflow = null;
        long increments = 0;
        foreach ((Step step, int index) in steps)
        {
            string label = Labels[index];
            switch (step)
            {
                case Step.LookUpAndInc:
                    CounterSeries series = counter.WithLabels(label);
                    series.Inc();
                    increments++;
                    if (ReferenceEquals(series, counter.OverflowSeries))
                    {
                        overflow = series;
                    }
                    else
                    {
                        handles[label] = series;
                    }

                    model.LookUpAndInc(label);
                    break;
                case Step.IncThroughHandle when handles.TryGetValue(label, out CounterSeries? kept):
                    kept.Inc();
                    increments++;
                    model.IncThroughHandle(label);
                    break;
                case Step.Remove:
                    if (counter.Remove(label) != model.Remove(label))
                    {
                        return false;
                    }

                    break;
                case Step.Clear:
                    counter.Clear();
                    model.Clear();
                    break;
                case Step.Scrape:
                    model.Scrape();
                    if (!model.Exposed.SequenceEqual(Exposed(Render.Text(registry))))
                    {
                        return false;
                    }

                    break;
            }

            if (counter.SeriesCount != model.Exposed.Count || (model.Revivals == 0 && counter.SeriesCount > limit))
            {
                return false;
            }
        }

        return handles.Values.Sum(h => h.Value) + (overflow?.Value ?? 0) == increments;
    }

    /// <summary>The exposed samples as (label set, value), sorted.</summary>
    private static SortedDictionary<string, long> Exposed(string text)
    {
        var exposed = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith("c_total{", StringComparison.Ordinal))
            {
                int space = line.LastIndexOf(' ');
                exposed[line[7..space]] = long.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return exposed;
    }

    /// <summary>What the documentation promises, written as plainly as possible.</summary>
    private sealed class Model(int limit)
    {
        private const string OverflowKey = "{metrics_overflow=\"true\"}";

        private readonly Dictionary<string, Entry> _series = [];
        private Entry? _overflow;

        public SortedDictionary<string, long> Exposed
        {
            get
            {
                var exposed = new SortedDictionary<string, long>(StringComparer.Ordinal);
                foreach ((string label, Entry entry) in _series.Where(s => s.Value.Attached))
                {
                    exposed[$"{{id=\"{label}\"}}"] = entry.Value;
                }

                if (_overflow is { Attached: true })
                {
                    exposed[OverflowKey] = _overflow.Value;
                }

                return exposed;
            }
        }

        /// <summary>Series brought back by an update through a handle, which may take the family past its limit.</summary>
        public int Revivals { get; private set; }

        private bool HasRoom => _series.Values.Count(s => s.Attached) < limit - 1;

        public void LookUpAndInc(string label)
        {
            if (_series.TryGetValue(label, out Entry? entry) && (entry.Attached || HasRoom))
            {
                entry.Attached = true;
                entry.Value++;
            }
            else if (entry is null && HasRoom)
            {
                _series[label] = new Entry { Attached = true, Value = 1 };
            }
            else
            {
                _overflow ??= new Entry();
                _overflow.Attached = true;
                _overflow.Value++;
            }
        }

        public void IncThroughHandle(string label) => _series[label].Value++;

        public bool Remove(string label)
        {
            if (_series.TryGetValue(label, out Entry? entry) && entry.Attached)
            {
                Detach(entry);
                return true;
            }

            return false;
        }

        public void Clear()
        {
            foreach (Entry entry in _series.Values.Where(e => e.Attached))
            {
                Detach(entry);
            }

            if (_overflow is { Attached: true })
            {
                Detach(_overflow);
            }
        }

        public void Scrape()
        {
            foreach (Entry entry in _series.Values.Append(_overflow).OfType<Entry>())
            {
                if (!entry.Attached && entry.Value != entry.ValueWhenDetached)
                {
                    entry.Attached = true;
                    Revivals++;
                }
            }
        }

        private static void Detach(Entry entry)
        {
            entry.Attached = false;
            entry.ValueWhenDetached = entry.Value;
        }

        private sealed class Entry
        {
            public bool Attached { get; set; }

            public long Value { get; set; }

            public long ValueWhenDetached { get; set; }
        }
    }
}
