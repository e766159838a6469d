using BenchmarkDotNet.Running;

// Pick benchmarks with --filter, for example: dotnet run -c Release -- --filter '*' --job short
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
