using System.Reflection;
using BenchmarkDotNet.Running;

namespace Aria.Metrics.Benchmarks.Gates;

/// <summary>
/// Counts, exactly, the bytes a benchmark method allocates on its own thread: the case is set up as BenchmarkDotNet
/// would (parameters, global setup), warmed, then invoked <see cref="Invocations"/> times between two readings of
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/>.
/// <para>
/// It backs MemoryDiagnoser's figure, which has two blind spots for an exact-zero claim: it rounds bytes per
/// operation, so one 24-byte object every hundred operations shows as 0 B; and it reads the process-wide counter,
/// so runtime and library threads that allocate in the background show up as a few bytes per operation on a
/// benchmark that allocates nothing (seen here: 8 B/op on a 200 µs scrape run in process).
/// </para>
/// </summary>
internal static class ExactAllocation
{
    public const int Invocations = 1000;

    private const int WarmupInvocations = 100;

    /// <summary>Bytes allocated on the calling thread by <see cref="Invocations"/> invocations of the case's method.</summary>
    public static long Measure(BenchmarkCase benchmarkCase)
    {
        Type type = benchmarkCase.Descriptor.Type;
        object instance = Activator.CreateInstance(type)!;
        foreach (var parameter in benchmarkCase.Parameters.Items)
        {
            type.GetProperty(parameter.Name)?.SetValue(instance, parameter.Value);
        }

        benchmarkCase.Descriptor.GlobalSetupMethod?.Invoke(instance, null);
        try
        {
            MethodInfo method = benchmarkCase.Descriptor.WorkloadMethod;
            if (method.ReturnType == typeof(void))
            {
                return Count(method.CreateDelegate<Action>(instance));
            }

            // A typed delegate, so that the result is neither boxed nor otherwise allocated by the measurement itself.
            Delegate func = method.CreateDelegate(typeof(Func<>).MakeGenericType(method.ReturnType), instance);
            MethodInfo count = typeof(ExactAllocation).GetMethod(nameof(CountFunc), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(method.ReturnType);
            return (long)count.Invoke(null, [func])!;
        }
        finally
        {
            benchmarkCase.Descriptor.GlobalCleanupMethod?.Invoke(instance, null);
        }
    }

    private static long Count(Action action)
    {
        for (int i = 0; i < WarmupInvocations; i++)
        {
            action();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Invocations; i++)
        {
            action();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static long CountFunc<T>(Func<T> func)
    {
        for (int i = 0; i < WarmupInvocations; i++)
        {
            func();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Invocations; i++)
        {
            func();
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
