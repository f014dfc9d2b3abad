/*
 * Dev-only helper for infra/dev/elasticsearch (see RunEs). Lives in this package because
 * NodeConstruction / NodeServiceProvider and Node(NodeConstruction) are package-private.
 * Same approach as org.codelibs:elasticsearch-cluster-runner (ClusterRunnerNode).
 */
package org.elasticsearch.node;

import java.util.Collection;

import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.plugins.DialogDevPluginsService;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.PluginsService;

/** An Elasticsearch node whose plugins come from the classpath instead of modules/ and plugins/. */
public class DialogDevNode extends Node {

    public DialogDevNode(Environment environment, Collection<Class<? extends Plugin>> classpathPlugins) {
        super(NodeConstruction.prepareConstruction(environment, new NodeServiceProvider() {
            @Override
            PluginsService newPluginService(Environment env, Settings settings) {
                return new DialogDevPluginsService(settings, env, classpathPlugins);
            }
        }, true));
    }
}
