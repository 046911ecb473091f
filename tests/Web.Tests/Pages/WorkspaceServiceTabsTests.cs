using RemoltBlazor.Sandboxes.Agents;
using RemoltBlazor.Web.Components.Pages.Workspace;

namespace RemoltBlazor.Web.Tests.Pages;

public sealed class WorkspaceServiceTabsTests
{
    [Fact]
    public void For_AgentWithLogsAndPorts_LogsDashboardVsCode()
    {
        var agent = new AgentDefinition { Id = "a", Logs = "~/x.log", Ports = [new AgentPort { Port = 1, Label = "UI" }] };

        WorkspaceServices.For(agent).ShouldBe([WorkspaceService.Logs, WorkspaceService.Dashboard, WorkspaceService.VsCode]);
    }

    [Fact]
    public void For_PlainAgent_OnlyVsCode()
    {
        WorkspaceServices.For(new AgentDefinition { Id = "a", Logs = " " }).ShouldBe([WorkspaceService.VsCode]);
        WorkspaceServices.For(null).ShouldBe([WorkspaceService.VsCode]);
    }

    [Fact]
    public void ActivateService_ThenTerminal_ServiceStaysOpenedAndTerminalIsShown()
    {
        var tabs = new WorkspaceTabs();
        tabs.Restore(2);
        tabs.Activate(1);

        tabs.ActivateService(WorkspaceService.VsCode);
        tabs.IsActive(1).ShouldBeFalse();
        tabs.ActiveService.ShouldBe(WorkspaceService.VsCode);
        tabs.Activate(0);

        tabs.ActiveService.ShouldBeNull();
        tabs.IsActive(0).ShouldBeTrue();
        tabs.OpenedServices.ShouldBe([WorkspaceService.VsCode]);
    }

    [Fact]
    public void Add_WhileServiceShown_ShowsTheNewTerminal()
    {
        var tabs = new WorkspaceTabs();
        tabs.ActivateService(WorkspaceService.Logs);

        tabs.Add().ShouldBe(1);

        tabs.ActiveService.ShouldBeNull();
        tabs.IsActive(1).ShouldBeTrue();
        tabs.OpenedServices.ShouldBe([WorkspaceService.Logs]);
    }

    [Fact]
    public void FrameUrl_WebServices_PointAtTheProxyRoutes()
    {
        WorkspaceServices.FrameUrl(WorkspaceService.VsCode, "abc").ShouldBe("/vscode/abc/");
        WorkspaceServices.FrameUrl(WorkspaceService.Dashboard, "abc").ShouldBe("/proxy/abc/");
        WorkspaceServices.FrameUrl(WorkspaceService.Logs, "abc").ShouldBeNull();
    }

    [Fact]
    public void FrameUrl_DashboardWithAuthToken_CarriesItInTheFragment()
    {
        var agent = new AgentDefinition { Id = "oc", Ports = [new AgentPort { Port = 18789, Label = "Dashboard", AuthToken = "s a/b" }] };
        var plain = new AgentDefinition { Id = "web", Ports = [new AgentPort { Port = 8080, Label = "UI" }] };

        WorkspaceServices.FrameUrl(WorkspaceService.Dashboard, "abc", agent).ShouldBe("/proxy/abc/#token=s%20a%2Fb");
        WorkspaceServices.FrameUrl(WorkspaceService.Dashboard, "abc", plain).ShouldBe("/proxy/abc/");
        WorkspaceServices.FrameUrl(WorkspaceService.VsCode, "abc", agent).ShouldBe("/vscode/abc/");
    }
}
