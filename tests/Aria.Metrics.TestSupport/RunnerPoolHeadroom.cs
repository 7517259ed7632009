namespace Aria.Metrics.TestSupport;

/// <summary>
/// Gives back the thread-pool threads that the test runner itself keeps blocked. In the test host, vstest's message
/// loop (a synchronous socket poll) and xunit's assembly runner (a synchronous wait) each hold a pool thread for the
/// whole run. The pool keeps as many threads as there are cores before it injects more, one at a time and only after
/// it has seen no progress for a while; on a two-core machine the runner's two leave none, and a dump taken while a
/// request to a test server waited for 2.7 s showed exactly that: those two blocked, one idle worker the pool would not
/// wake, and the request's work items queued. A real application host blocks none of them, so each test assembly whose
/// tests hold a server to a deadline raises the pool's minimum by the runner's two, once, when it loads.
/// </summary>
public static class RunnerPoolHeadroom
{
    /// <summary>The pool threads the test host keeps blocked for the whole run.</summary>
    public const int RunnerBlockedThreads = 2;

    /// <summary>Raises the pool's minimum worker threads to the core count plus the runner's blocked threads.</summary>
    public static void Ensure()
    {
        ThreadPool.GetMinThreads(out int workers, out int completionPorts);
        int wanted = Environment.ProcessorCount + RunnerBlockedThreads;
        if (workers < wanted && !ThreadPool.SetMinThreads(wanted, completionPorts))
        {
            throw new InvalidOperationException($"The thread pool refused a minimum of {wanted} worker threads.");
        }
    }
}
