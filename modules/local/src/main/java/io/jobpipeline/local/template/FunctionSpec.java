package io.jobpipeline.local.template;

import java.util.List;

/** An {@code AWS::Serverless::Function} with Globals applied, and the event sources the local stack runs. */
public record FunctionSpec(String logicalId, String handlerClass, String handlerMethod, int timeoutSeconds,
                           int memoryMb, List<SqsEventSource> sqsSources, List<HttpRoute> httpRoutes,
                           List<RuleSpec> rules) {
    public FunctionSpec {
        sqsSources = List.copyOf(sqsSources);
        httpRoutes = List.copyOf(httpRoutes);
        rules = List.copyOf(rules);
    }
}
