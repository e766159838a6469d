using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("JwtDevices.Tests.Infrastructure.ServicesTestFramework", "JwtDevices.Tests")]

namespace JwtDevices.Tests.Infrastructure;

/// <summary>
/// xunit's own framework, except that the tests of a class marked <see cref="RequiresServiceAttribute"/>
/// are discovered as skipped, with the reason, while the server it needs is not configured. xunit 2
/// has no dynamic skip; this keeps a run without PostgreSQL or Redis green and honest about it.
/// </summary>
public sealed class ServicesTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    protected override ITestFrameworkDiscoverer CreateDiscoverer(IAssemblyInfo assemblyInfo) =>
        new Discoverer(assemblyInfo, SourceInformationProvider, DiagnosticMessageSink);

    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Discoverer(IAssemblyInfo assemblyInfo, ISourceInformationProvider sourceProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkDiscoverer(assemblyInfo, sourceProvider, diagnosticMessageSink)
    {
        protected override bool FindTestsForType(
            ITestClass testClass, bool includeSourceInformation, IMessageBus messageBus, ITestFrameworkDiscoveryOptions discoveryOptions)
        {
            if (SkipReason(testClass) is not { } reason)
            {
                return base.FindTestsForType(testClass, includeSourceInformation, messageBus, discoveryOptions);
            }
            foreach (var method in testClass.Class.GetMethods(includePrivateMethods: false))
            {
                if (!method.GetCustomAttributes(typeof(FactAttribute)).Any())
                {
                    continue;
                }
                var testCase = new XunitSkippedDataRowTestCase(
                    DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(),
                    new TestMethod(testClass, method), reason);
                if (!ReportDiscoveredTestCase(testCase, includeSourceInformation, messageBus))
                {
                    return false;
                }
            }
            return true;
        }

        private static string? SkipReason(ITestClass testClass) =>
            testClass.Class is IReflectionTypeInfo { Type: var type }
                ? type.GetCustomAttributes<RequiresServiceAttribute>(inherit: true)
                    .Select(required => TestServices.SkipReason(required.EnvironmentVariable))
                    .FirstOrDefault(reason => reason is not null)
                : null;
    }

    private sealed class Executor(AssemblyName assemblyName, ISourceInformationProvider sourceProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkExecutor(assemblyName, sourceProvider, diagnosticMessageSink)
    {
        protected override ITestFrameworkDiscoverer CreateDiscoverer() =>
            new Discoverer(AssemblyInfo, SourceInformationProvider, DiagnosticMessageSink);
    }
}
