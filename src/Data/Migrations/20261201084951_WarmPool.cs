using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RemoltBlazor.Data.Migrations
{
    /// <inheritdoc />
    public partial class WarmPool : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "warm_sandboxes",
                columns: table => new
                {
                    SandboxId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    AgentId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ClaimedBySession = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_warm_sandboxes", x => x.SandboxId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_warm_sandboxes_AgentId_State",
                table: "warm_sandboxes",
                columns: new[] { "AgentId", "State" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "warm_sandboxes");
        }
    }
}
