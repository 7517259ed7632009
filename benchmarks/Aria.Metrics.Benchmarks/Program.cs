using Aria.Metrics.Benchmarks;
using BenchmarkDotNet.Running;

if (args.Contains("--gates"))
{
    return Aria.Metrics.Benchmarks.Gates.GateRunner.Run();
}

BenchmarkSwitcher.FromAssembly(typeof(HotPathBenchmarks).Assembly).Run(args, SuiteConfig.Create());
return 0;
