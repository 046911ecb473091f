using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace RemoltBlazor.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the app.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<RemoltDbContext>
{
    public RemoltDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<RemoltDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
