using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Web.Components.Pages.Workspace;

namespace RemoltBlazor.Web.Tests.Pages;

public sealed class ServiceTabsTests
{
    [Fact]
    public void For_AgentWithLogsAndPorts_LogsDashboardVsCode()
    {
        var agent = new AgentDefinition { Id = "a", Logs = "~/x.log", Ports = [new AgentPort { Port = 1, Label = "UI" }] };

        ServiceTabs.For(agent).ShouldBe([ServiceTab.Files, ServiceTab.Logs, ServiceTab.Dashboard, ServiceTab.VsCode]);
    }

    [Fact]
    public void For_PlainAgent_FilesAndVsCode()
    {
        ServiceTabs.For(new AgentDefinition { Id = "a", Logs = " " }).ShouldBe([ServiceTab.Files, ServiceTab.VsCode]);
        ServiceTabs.For(null).ShouldBe([ServiceTab.Files, ServiceTab.VsCode]);
    }

    [Fact]
    public void ActivateService_ThenTerminal_ServiceStaysOpenedAndTerminalIsShown()
    {
        var tabs = new WorkspaceTabs();
        tabs.Restore(2);
        tabs.Activate(1);

        tabs.ActivateService(ServiceTab.VsCode);
        tabs.IsActive(1).ShouldBeFalse();
        tabs.ActiveService.ShouldBe(ServiceTab.VsCode);
        tabs.Activate(0);

        tabs.ActiveService.ShouldBeNull();
        tabs.IsActive(0).ShouldBeTrue();
        tabs.OpenedServices.ShouldBe([ServiceTab.VsCode]);
    }

    [Fact]
    public void Add_WhileServiceShown_ShowsTheNewTerminal()
    {
        var tabs = new WorkspaceTabs();
        tabs.ActivateService(ServiceTab.Logs);

        tabs.Add().ShouldBe(1);

        tabs.ActiveService.ShouldBeNull();
        tabs.IsActive(1).ShouldBeTrue();
        tabs.OpenedServices.ShouldBe([ServiceTab.Logs]);
    }

    [Fact]
    public void FrameUrl_WebServices_PointAtTheProxyRoutes()
    {
        ServiceTabs.FrameUrl(ServiceTab.VsCode, "abc").ShouldBe("/vscode/abc/");
        ServiceTabs.FrameUrl(ServiceTab.Dashboard, "abc").ShouldBe("/proxy/abc/");
        ServiceTabs.FrameUrl(ServiceTab.Logs, "abc").ShouldBeNull();
    }

    [Fact]
    public void FrameUrl_DashboardWithAuthToken_CarriesItInTheFragment()
    {
        var agent = new AgentDefinition { Id = "oc", Ports = [new AgentPort { Port = 18789, Label = "Dashboard", AuthToken = "s a/b" }] };
        var plain = new AgentDefinition { Id = "web", Ports = [new AgentPort { Port = 8080, Label = "UI" }] };

        ServiceTabs.FrameUrl(ServiceTab.Dashboard, "abc", agent).ShouldBe("/proxy/abc/#token=s%20a%2Fb");
        ServiceTabs.FrameUrl(ServiceTab.Dashboard, "abc", plain).ShouldBe("/proxy/abc/");
        ServiceTabs.FrameUrl(ServiceTab.VsCode, "abc", agent).ShouldBe("/vscode/abc/");
    }
}
