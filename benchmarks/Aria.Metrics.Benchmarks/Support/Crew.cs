using System.Diagnostics;

namespace Aria.Metrics.Benchmarks.Support;

/// <summary>
/// A fixed set of threads that run one loop together. The calling thread is member zero and the helpers wait on
/// their own semaphores between rounds, so a round costs one wake-up per helper and never a thread start: against a
/// loop of a million updates that is well under one percent.
/// <para>
/// The crew also measures whether its threads really ran at once: process CPU time over wall time during rounds is
/// the average number of busy threads. On a machine whose cores are taken by other work it falls below the crew size,
/// and a contention figure taken then measures the scheduler rather than the code under test.
/// </para>
/// </summary>
internal sealed class Crew : IDisposable
{
    private readonly Thread[] _helpers;
    private readonly SemaphoreSlim[] _go;
    private readonly CountdownEvent _done;
    private Action _work = static () => { };
    private volatile bool _stopping;
    private long _wallTicks;
    private TimeSpan _cpu;

    public Crew(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        Size = size;
        _helpers = new Thread[size - 1];
        _go = new SemaphoreSlim[size - 1];
        _done = new CountdownEvent(size - 1);
        for (int i = 0; i < _helpers.Length; i++)
        {
            _go[i] = new SemaphoreSlim(0);
            SemaphoreSlim go = _go[i];
            _helpers[i] = new Thread(() => Serve(go)) { IsBackground = true, Name = $"crew-{i + 1}" };
            _helpers[i].Start();
        }
    }

    /// <summary>Threads in the crew, the caller included.</summary>
    public int Size { get; }

    /// <summary>The average number of threads busy during the rounds so far (process CPU time / wall time).</summary>
    public double BusyThreads => _wallTicks == 0 ? 0 : _cpu.TotalSeconds / ((double)_wallTicks / Stopwatch.Frequency);

    /// <summary>Runs <paramref name="work"/> on every member at once and returns when all have finished.</summary>
    public void Run(Action work)
    {
        TimeSpan cpu = Environment.CpuUsage.TotalTime;
        long start = Stopwatch.GetTimestamp();
        _work = work;
        _done.Reset(_helpers.Length);
        foreach (SemaphoreSlim go in _go)
        {
            go.Release(); // a full fence: the helpers see the new work
        }

        work();
        _done.Wait();
        _wallTicks += Stopwatch.GetTimestamp() - start;
        _cpu += Environment.CpuUsage.TotalTime - cpu;
    }

    public void Dispose()
    {
        _stopping = true;
        foreach (SemaphoreSlim go in _go)
        {
            go.Release();
        }

        foreach (Thread helper in _helpers)
        {
            helper.Join();
        }

        foreach (SemaphoreSlim go in _go)
        {
            go.Dispose();
        }

        _done.Dispose();
    }

    private void Serve(SemaphoreSlim go)
    {
        while (true)
        {
            go.Wait();
            if (_stopping)
            {
                return;
            }

            _work();
            _done.Signal();
        }
    }
}
