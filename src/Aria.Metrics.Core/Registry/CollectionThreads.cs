namespace Aria.Metrics;

/// <summary>
/// The threads that run collect callbacks: the engine's own, never the thread pool's, so that a hung callback holds a
/// thread of ours and not one of the application's pool. On a two-core machine the pool keeps two threads before it
/// starts injecting more, one every half second or so; a hung callback on one of them, beside whatever else the
/// application blocks, left requests (the endpoint's landing page among them) queued for seconds.
/// A thread that finishes its work waits for the next; work goes to a waiting thread when there is one and to a new
/// thread otherwise, so a thread stuck in a hung callback is simply not asked again. Threads live on between scrapes
/// (a thread that ended per scrape would make the runtime's approximate count of allocated bytes, which discounts
/// what dead threads left unused, stall) and end after <see cref="IdleLifetime"/> without work, but for the last
/// one waiting, which stays.
/// </summary>
internal static class CollectionThreads
{
    /// <summary>How long a thread waits for work before it ends, when another thread is waiting too; tests shorten it.</summary>
    public static TimeSpan IdleLifetime { get; set; } = TimeSpan.FromMinutes(5);

    // Monitor.Wait and Pulse need a plain object to lock.
    private static readonly object Gate = new();
    // The threads waiting for work, the one that waited least last: it is taken first, so the others can age out.
    private static readonly List<Worker> Waiting = [];
    private static int s_started;

    // Threads given work and not yet back on the waiting list; guarded by Gate.
    private static int s_busy;

    /// <summary>How many threads have been started so far: a test's view of whether threads are reused.</summary>
    public static int Started => Volatile.Read(ref s_started);

    /// <summary>How many threads are running a collection (or are stuck in one of its callbacks).</summary>
    public static int BusyCount
    {
        get
        {
            lock (Gate)
            {
                return s_busy;
            }
        }
    }

    /// <summary>How many threads are waiting for work.</summary>
    public static int WaitingCount
    {
        get
        {
            lock (Gate)
            {
                return Waiting.Count;
            }
        }
    }

    /// <summary>Runs <paramref name="collection"/>'s callbacks not yet claimed on a waiting thread, or on a new one.</summary>
    public static void Run(Collection collection)
    {
        lock (Gate)
        {
            s_busy++;
            if (Waiting.Count != 0)
            {
                Worker waiting = Waiting[^1];
                Waiting.RemoveAt(Waiting.Count - 1);
                waiting.Give(collection);
                return;
            }
        }

        Interlocked.Increment(ref s_started);
        var worker = new Worker(collection);
        // Without the starting scrape's execution context: callbacks owe nothing to the request that happened to start
        // their thread, and a long-lived thread would otherwise keep that request's async-locals alive.
        new Thread(worker.Loop) { IsBackground = true, Name = "Aria.Metrics collect" }.UnsafeStart();
    }

    private sealed class Worker(Collection first)
    {
        private Collection? _next = first;

        // Called with Gate held, on a worker that was waiting.
        public void Give(Collection collection)
        {
            _next = collection;
            Monitor.PulseAll(Gate);
        }

        public void Loop()
        {
            while (true)
            {
                Collection? work;
                lock (Gate)
                {
                    work = _next;
                    _next = null;
                }

                bool finished = work?.RunCallbacks() ?? false;

                // Waiting before the collection's scrapes are told it is over: the next scrape, which may follow at once,
                // then finds this thread instead of starting another.
                lock (Gate)
                {
                    Waiting.Add(this);
                    s_busy--;
                }

                if (finished)
                {
                    work!.Finish();
                }

                if (!WaitForWork())
                {
                    return;
                }
            }
        }

        // False when the thread should end: it waited its lifetime out while another thread was waiting as well.
        // Called once this worker is on the waiting list (or was taken off it by Give).
        private bool WaitForWork()
        {
            lock (Gate)
            {
                while (_next is null)
                {
                    if (!Monitor.Wait(Gate, IdleLifetime) && _next is null && Waiting.Count > 1)
                    {
                        Waiting.Remove(this);
                        return false;
                    }
                }

                return true;
            }
        }
    }
}
