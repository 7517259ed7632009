# The Aria.Metrics demo engine, built from the repository root (docker-compose.yml: context "..").
FROM mcr.microsoft.com/dotnet/sdk:10.0
WORKDIR /src
COPY . .
RUN dotnet build -c Release src/Aria.Metrics.Demo
ENV METRICS_PORT=8081
EXPOSE 8081
CMD ["dotnet", "run", "-c", "Release", "--no-build", "--project", "src/Aria.Metrics.Demo"]
