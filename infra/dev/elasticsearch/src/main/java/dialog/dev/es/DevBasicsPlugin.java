package dialog.dev.es;

import java.io.IOException;
import java.io.Reader;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.apache.lucene.analysis.CharacterUtils;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.charfilter.HTMLStripCharFilter;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.core.LetterTokenizer;
import org.apache.lucene.analysis.core.UpperCaseFilter;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.el.GreekLowerCaseFilter;
import org.apache.lucene.analysis.ga.IrishLowerCaseFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.TrimFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenizer;
import org.apache.lucene.analysis.ngram.NGramTokenFilter;
import org.apache.lucene.analysis.ngram.NGramTokenizer;
import org.apache.lucene.analysis.reverse.ReverseStringFilter;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tr.TurkishLowerCaseFilter;
import org.apache.lucene.util.SetOnce;
import org.elasticsearch.Build;
import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.cluster.metadata.IndexNameExpressionResolver;
import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.bytes.BytesArray;
import org.elasticsearch.common.io.stream.NamedWriteableRegistry;
import org.elasticsearch.common.settings.ClusterSettings;
import org.elasticsearch.common.settings.IndexScopedSettings;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.settings.SettingsFilter;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.IndexVersion;
import org.elasticsearch.index.analysis.AbstractCharFilterFactory;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.AbstractTokenizerFactory;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestController;
import org.elasticsearch.rest.RestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.xcontent.XContentBuilder;

/**
 * The small part of Elasticsearch's bundled modules that a dev node needs, for a node built from
 * Maven Central jars only.
 *
 * <p>Elastic publishes the server jar and the transport-netty4 plugin to Maven Central, but not the
 * {@code analysis-common} and {@code rest-root} modules of the distribution. Without them the server
 * knows only the {@code standard} tokenizer and the {@code stop}/{@code shingle}/{@code hunspell}
 * filters, and {@code GET /} answers 404. This plugin registers, under the distribution's names and
 * with the distribution's parameters, thin wrappers around the same Lucene classes the real modules
 * use:
 *
 * <ul>
 *   <li>token filters: {@code asciifolding} (preserve_original), {@code lowercase} (language:
 *       greek|irish|turkish), {@code uppercase}, {@code trim}, {@code reverse}, {@code ngram} and
 *       {@code edge_ngram} (min_gram, max_gram, preserve_original; edge_ngram also side);
 *   <li>tokenizers: {@code lowercase}, {@code letter}, {@code whitespace}, {@code keyword},
 *       {@code ngram}, {@code edge_ngram} (min_gram, max_gram, token_chars, custom_token_chars);
 *   <li>char filter: {@code html_strip} (escaped_tags);
 *   <li>{@code GET /} and {@code HEAD /} (node/cluster/version info, used by clients' info()/ping()).
 * </ul>
 *
 * Anything else from analysis-common (synonyms, stemmers, language analyzers, word_delimiter,
 * pattern_*, mapping, ...) is NOT available on this dev node.
 */
public class DevBasicsPlugin extends Plugin implements AnalysisPlugin, ActionPlugin {

    private final SetOnce<ClusterService> clusterService = new SetOnce<>();

    @Override
    public Collection<?> createComponents(PluginServices services) {
        clusterService.set(services.clusterService());
        return List.of();
    }

    // ---------------------------------------------------------------- token filters

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        Map<String, AnalysisProvider<TokenFilterFactory>> filters = new TreeMap<>();
        filters.put("asciifolding", (indexSettings, env, name, settings) -> {
            boolean preserveOriginal = settings.getAsBoolean("preserve_original", false);
            return normalizing(name, settings, ts -> new ASCIIFoldingFilter(ts, preserveOriginal));
        });
        filters.put("lowercase", (indexSettings, env, name, settings) -> {
            String language = settings.get("language");
            if (language == null) {
                return normalizing(name, settings, LowerCaseFilter::new);
            }
            return switch (language.toLowerCase(Locale.ROOT)) {
                case "greek" -> normalizing(name, settings, GreekLowerCaseFilter::new);
                case "irish" -> normalizing(name, settings, IrishLowerCaseFilter::new);
                case "turkish" -> normalizing(name, settings, TurkishLowerCaseFilter::new);
                default -> throw new IllegalArgumentException("language [" + language + "] not support for lower case");
            };
        });
        filters.put("uppercase", (indexSettings, env, name, settings) -> normalizing(name, settings, UpperCaseFilter::new));
        filters.put("trim", (indexSettings, env, name, settings) -> normalizing(name, settings, TrimFilter::new));
        filters.put("reverse", (indexSettings, env, name, settings) -> plain(name, settings, ReverseStringFilter::new));
        filters.put("ngram", (indexSettings, env, name, settings) -> {
            int minGram = settings.getAsInt("min_gram", 1);
            int maxGram = settings.getAsInt("max_gram", 2);
            checkNgramDiff(indexSettings, minGram, maxGram, "NGram Tokenizer");
            boolean preserveOriginal = settings.getAsBoolean("preserve_original", false);
            return plain(name, settings, ts -> new NGramTokenFilter(ts, minGram, maxGram, preserveOriginal));
        });
        filters.put("edge_ngram", (indexSettings, env, name, settings) -> {
            int minGram = settings.getAsInt("min_gram", 1);
            int maxGram = settings.getAsInt("max_gram", 2);
            boolean preserveOriginal = settings.getAsBoolean("preserve_original", false);
            String side = settings.get("side", "front");
            boolean back = switch (side) {
                case "front" -> false;
                case "back" -> true;
                default -> throw new IllegalArgumentException("invalid side: [" + side + "] must be either [front] or [back]");
            };
            return plain(name, settings, ts -> {
                if (back) {
                    return new ReverseStringFilter(
                        new EdgeNGramTokenFilter(new ReverseStringFilter(ts), minGram, maxGram, preserveOriginal));
                }
                return new EdgeNGramTokenFilter(ts, minGram, maxGram, preserveOriginal);
            });
        });
        return filters;
    }

    private static TokenFilterFactory plain(String name, Settings settings, Function<TokenStream, TokenStream> f) {
        return new AbstractTokenFilterFactory(name, settings) {
            @Override
            public TokenStream create(TokenStream tokenStream) {
                return f.apply(tokenStream);
            }
        };
    }

    /** Usable in normalizers (keyword fields) as well as in analyzers. */
    private static TokenFilterFactory normalizing(String name, Settings settings, Function<TokenStream, TokenStream> f) {
        final class Normalizing extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
            Normalizing() {
                super(name, settings);
            }

            @Override
            public TokenStream create(TokenStream tokenStream) {
                return f.apply(tokenStream);
            }
        }
        return new Normalizing();
    }

    private static void checkNgramDiff(IndexSettings indexSettings, int minGram, int maxGram, String what) {
        int allowed = indexSettings.getMaxNgramDiff();
        int diff = maxGram - minGram;
        if (diff > allowed) {
            throw new IllegalArgumentException(
                "The difference between max_gram and min_gram in " + what + " must be less than or equal to: ["
                    + allowed + "] but was [" + diff + "]. This limit can be set by changing the ["
                    + IndexSettings.MAX_NGRAM_DIFF_SETTING.getKey() + "] index level setting."
            );
        }
    }

    // ---------------------------------------------------------------- tokenizers

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        Map<String, AnalysisProvider<TokenizerFactory>> tokenizers = new TreeMap<>();
        tokenizers.put("lowercase", (indexSettings, env, name, settings) -> tokenizer(indexSettings, settings, name, LowerCaseLetterTokenizer::new));
        tokenizers.put("letter", (indexSettings, env, name, settings) -> tokenizer(indexSettings, settings, name, LetterTokenizer::new));
        tokenizers.put("whitespace", (indexSettings, env, name, settings) -> {
            int maxTokenLength = settings.getAsInt("max_token_length", 255);
            return tokenizer(indexSettings, settings, name,
                () -> new WhitespaceTokenizer(WhitespaceTokenizer.DEFAULT_TOKEN_ATTRIBUTE_FACTORY, maxTokenLength));
        });
        tokenizers.put("keyword", (indexSettings, env, name, settings) -> {
            int bufferSize = settings.getAsInt("buffer_size", 256);
            return tokenizer(indexSettings, settings, name, () -> new KeywordTokenizer(bufferSize));
        });
        tokenizers.put("ngram", (indexSettings, env, name, settings) -> {
            int minGram = settings.getAsInt("min_gram", NGramTokenizer.DEFAULT_MIN_NGRAM_SIZE);
            int maxGram = settings.getAsInt("max_gram", NGramTokenizer.DEFAULT_MAX_NGRAM_SIZE);
            checkNgramDiff(indexSettings, minGram, maxGram, "NGram Tokenizer");
            IntPredicate tokenChars = parseTokenChars(settings);
            return tokenizer(indexSettings, settings, name, () -> tokenChars == null
                ? new NGramTokenizer(minGram, maxGram)
                : new NGramTokenizer(minGram, maxGram) {
                    @Override
                    protected boolean isTokenChar(int chr) {
                        return tokenChars.test(chr);
                    }
                });
        });
        tokenizers.put("edge_ngram", (indexSettings, env, name, settings) -> {
            // the distribution defaults to 1..2 here too (Lucene's own EdgeNGramTokenizer default is 1..1)
            int minGram = settings.getAsInt("min_gram", NGramTokenizer.DEFAULT_MIN_NGRAM_SIZE);
            int maxGram = settings.getAsInt("max_gram", NGramTokenizer.DEFAULT_MAX_NGRAM_SIZE);
            IntPredicate tokenChars = parseTokenChars(settings);
            return tokenizer(indexSettings, settings, name, () -> tokenChars == null
                ? new EdgeNGramTokenizer(minGram, maxGram)
                : new EdgeNGramTokenizer(minGram, maxGram) {
                    @Override
                    protected boolean isTokenChar(int chr) {
                        return tokenChars.test(chr);
                    }
                });
        });
        return tokenizers;
    }

    private static TokenizerFactory tokenizer(IndexSettings indexSettings, Settings settings, String name, Supplier<Tokenizer> s) {
        return new AbstractTokenizerFactory(indexSettings, settings, name) {
            @Override
            public Tokenizer create() {
                return s.get();
            }
        };
    }

    /** Same semantics as the distribution's ngram tokenizers; null means "every character". */
    static IntPredicate parseTokenChars(Settings settings) {
        List<String> classes = settings.getAsList("token_chars");
        if (classes.isEmpty()) {
            return null;
        }
        IntPredicate result = c -> false;
        for (String raw : classes) {
            String cls = raw.toLowerCase(Locale.ROOT).trim();
            IntPredicate p = switch (cls) {
                case "letter" -> Character::isLetter;
                case "digit" -> Character::isDigit;
                case "whitespace" -> Character::isWhitespace;
                case "punctuation" -> c -> switch (Character.getType(c)) {
                    case Character.START_PUNCTUATION, Character.END_PUNCTUATION, Character.OTHER_PUNCTUATION,
                        Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                        Character.FINAL_QUOTE_PUNCTUATION -> true;
                    default -> false;
                };
                case "symbol" -> c -> switch (Character.getType(c)) {
                    case Character.CURRENCY_SYMBOL, Character.MATH_SYMBOL, Character.OTHER_SYMBOL, Character.MODIFIER_SYMBOL -> true;
                    default -> false;
                };
                case "custom" -> {
                    String custom = settings.get("custom_token_chars");
                    if (custom == null) {
                        throw new IllegalArgumentException("Token type: [custom] requires setting [custom_token_chars]");
                    }
                    Set<Integer> cps = new HashSet<>();
                    custom.codePoints().forEach(cps::add);
                    yield cps::contains;
                }
                default -> throw new IllegalArgumentException(
                    "Unknown token type: '" + cls + "', must be one of [symbol, custom, letter, digit, whitespace, punctuation]");
            };
            result = result.or(p);
        }
        return result;
    }

    /** The distribution's "lowercase" tokenizer: runs of letters, lower-cased (Lucene 9 dropped its class). */
    static final class LowerCaseLetterTokenizer extends Tokenizer {
        private static final int MAX_TOKEN_LEN = 255;
        private final CharTermAttribute termAtt = addAttribute(CharTermAttribute.class);
        private final OffsetAttribute offsetAtt = addAttribute(OffsetAttribute.class);
        private final CharacterUtils.CharacterBuffer ioBuffer = CharacterUtils.newCharacterBuffer(4096);
        private int offset = 0;
        private int bufferIndex = 0;
        private int dataLen = 0;
        private int finalOffset = 0;

        @Override
        public boolean incrementToken() throws IOException {
            clearAttributes();
            int length = 0;
            int start = -1;
            int end = -1;
            char[] buffer = termAtt.buffer();
            while (true) {
                if (bufferIndex >= dataLen) {
                    offset += dataLen;
                    CharacterUtils.fill(ioBuffer, input);
                    if (ioBuffer.getLength() == 0) {
                        dataLen = 0;
                        if (length > 0) {
                            break;
                        }
                        finalOffset = correctOffset(offset);
                        return false;
                    }
                    dataLen = ioBuffer.getLength();
                    bufferIndex = 0;
                }
                final int c = Character.codePointAt(ioBuffer.getBuffer(), bufferIndex, ioBuffer.getLength());
                final int charCount = Character.charCount(c);
                bufferIndex += charCount;
                if (Character.isLetter(c)) {
                    if (length == 0) {
                        start = offset + bufferIndex - charCount;
                        end = start;
                    } else if (length >= buffer.length - 1) {
                        buffer = termAtt.resizeBuffer(2 + length);
                    }
                    end += charCount;
                    length += Character.toChars(Character.toLowerCase(c), buffer, length);
                    if (length >= MAX_TOKEN_LEN) {
                        break;
                    }
                } else if (length > 0) {
                    break;
                }
            }
            termAtt.setLength(length);
            offsetAtt.setOffset(correctOffset(start), finalOffset = correctOffset(end));
            return true;
        }

        @Override
        public void end() throws IOException {
            super.end();
            offsetAtt.setOffset(finalOffset, finalOffset);
        }

        @Override
        public void reset() throws IOException {
            super.reset();
            bufferIndex = 0;
            offset = 0;
            dataLen = 0;
            finalOffset = 0;
            ioBuffer.reset();
        }
    }

    // ---------------------------------------------------------------- char filters

    @Override
    public Map<String, AnalysisProvider<CharFilterFactory>> getCharFilters() {
        return Map.of("html_strip", (indexSettings, env, name, settings) -> {
            List<String> escaped = settings.getAsList("escaped_tags");
            Set<String> escapedTags = escaped.isEmpty() ? null : Set.copyOf(escaped);
            return new AbstractCharFilterFactory(name) {
                @Override
                public Reader create(Reader reader) {
                    return new HTMLStripCharFilter(reader, escapedTags);
                }
            };
        });
    }

    // ---------------------------------------------------------------- GET / and HEAD /

    @Override
    public Collection<RestHandler> getRestHandlers(
        Settings settings,
        NamedWriteableRegistry namedWriteableRegistry,
        RestController restController,
        ClusterSettings clusterSettings,
        IndexScopedSettings indexScopedSettings,
        SettingsFilter settingsFilter,
        IndexNameExpressionResolver indexNameExpressionResolver,
        Supplier<DiscoveryNodes> nodesInCluster,
        Predicate<NodeFeature> clusterSupportsFeature
    ) {
        return List.of(new RootAction());
    }

    private final class RootAction extends BaseRestHandler {
        @Override
        public String getName() {
            return "dialog_dev_main_action";
        }

        @Override
        public List<Route> routes() {
            return List.of(new Route(RestRequest.Method.GET, "/"), new Route(RestRequest.Method.HEAD, "/"));
        }

        @Override
        protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
            final boolean head = request.method() == RestRequest.Method.HEAD;
            return channel -> {
                ClusterService cs = clusterService.get();
                Build build = Build.current();
                XContentBuilder b = channel.newBuilder();
                b.startObject();
                b.field("name", cs.getNodeName());
                b.field("cluster_name", cs.getClusterName().value());
                b.field("cluster_uuid", cs.state().metadata().clusterUUID());
                b.startObject("version")
                    .field("number", build.qualifiedVersion())
                    .field("build_flavor", build.flavor())
                    .field("build_type", build.type().displayName())
                    .field("build_hash", build.hash())
                    .field("build_date", build.date())
                    .field("build_snapshot", build.isSnapshot())
                    .field("lucene_version", IndexVersion.current().luceneVersion().toString())
                    .field("minimum_wire_compatibility_version", build.minWireCompatVersion())
                    .field("minimum_index_compatibility_version", build.minIndexCompatVersion())
                    .endObject();
                b.field("tagline", "You Know, for Search");
                b.endObject();
                if (head) {
                    channel.sendResponse(new RestResponse(RestStatus.OK, b.getResponseContentTypeString(), BytesArray.EMPTY));
                } else {
                    channel.sendResponse(new RestResponse(RestStatus.OK, b));
                }
            };
        }
    }
}
