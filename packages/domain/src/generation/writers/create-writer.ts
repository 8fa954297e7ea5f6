import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { WRITER_PROVIDERS, type WriterConfig } from "@scriptorium/contract";
import { InvalidError, type InvalidField } from "../../errors";
import { LlmWriter } from "./llm/llm-writer";
import { priceOf } from "./llm/prices";
import { OfflineWriter } from "./offline";
import type { Writer } from "./writer";

/** Server-wide settings writers read, from the environment. */
export interface LlmEnvironment {
  /** OPENAI_API_KEY */
  openaiApiKey?: string;
  /** ANTHROPIC_API_KEY */
  anthropicApiKey?: string;
  /** SCRIPTORIUM_LLM_BASE_URL: the default OpenAI-compatible server, e.g. Ollama at http://127.0.0.1:11434/v1. */
  llmBaseUrl?: string;
  /** SCRIPTORIUM_LLM_API_KEY: the key of that server, for the servers that want one. */
  llmApiKey?: string;
}

/** Used when a project names no model. */
const DEFAULT_MODELS = {
  openai: "gpt-4o-mini",
  anthropic: "claude-haiku-4-5",
} as const;

const PROVIDER_FIELD = ["writer", "provider"];
const MODEL_FIELD = ["writer", "model"];
const BASE_URL_FIELD = ["writer", "base_url"];

/**
 * Rejects a writer configuration that cannot run on this server (unknown
 * provider, missing API key or server address, malformed URL), so that a
 * project is refused when it is created rather than when its job starts.
 */
export function validateWriterConfig(config: WriterConfig, env: LlmEnvironment): void {
  const problems = writerConfigProblems(config, env);
  if (problems.length > 0) throw new InvalidError(problems.map((problem) => problem.message).join(" "), problems);
}

function writerConfigProblems(config: WriterConfig, env: LlmEnvironment): InvalidField[] {
  if (!(WRITER_PROVIDERS as readonly string[]).includes(config.provider)) {
    return [{ path: PROVIDER_FIELD, message: `Unknown writer provider "${String(config.provider)}"; use one of ${WRITER_PROVIDERS.join(", ")}.` }];
  }
  if (config.provider === "offline") return [];

  const problems: InvalidField[] = [];
  if (config.model !== null && config.model.trim() === "") {
    problems.push({ path: MODEL_FIELD, message: "The writer's model must not be empty; leave it null for the default." });
  }
  if (config.base_url !== null && !isHttpUrl(config.base_url)) {
    problems.push({ path: BASE_URL_FIELD, message: `The writer's base URL "${config.base_url}" is not an http:// or https:// URL.` });
  }
  switch (config.provider) {
    case "openai":
      if (!env.openaiApiKey) problems.push({ path: PROVIDER_FIELD, message: "The OpenAI writer needs an API key: set OPENAI_API_KEY on the server." });
      break;
    case "anthropic":
      if (!env.anthropicApiKey) problems.push({ path: PROVIDER_FIELD, message: "The Anthropic writer needs an API key: set ANTHROPIC_API_KEY on the server." });
      break;
    case "openai-compatible":
      if (config.base_url === null) {
        if (!env.llmBaseUrl) {
          problems.push({
            path: BASE_URL_FIELD,
            message: "The OpenAI-compatible writer needs the server's address: set writer.base_url (for Ollama, http://127.0.0.1:11434/v1) or SCRIPTORIUM_LLM_BASE_URL on the server.",
          });
        } else if (!isHttpUrl(env.llmBaseUrl)) {
          problems.push({ path: BASE_URL_FIELD, message: `SCRIPTORIUM_LLM_BASE_URL "${env.llmBaseUrl}" is not an http:// or https:// URL.` });
        }
      }
      if (config.model === null) {
        problems.push({ path: MODEL_FIELD, message: "The OpenAI-compatible writer needs a model: set writer.model to a model the server serves (for Ollama, e.g. llama3.1)." });
      }
      break;
  }
  return problems;
}

/** The writer a project's configuration asks for; throws InvalidError when it cannot run (see validateWriterConfig). */
export function createWriter(config: WriterConfig, env: LlmEnvironment): Writer {
  validateWriterConfig(config, env);
  const baseURL = config.base_url ?? undefined;
  switch (config.provider) {
    case "offline":
      return new OfflineWriter();
    case "openai": {
      const modelId = config.model ?? DEFAULT_MODELS.openai;
      const apiKey = env.openaiApiKey ?? "";
      return new LlmWriter({
        provider: "openai",
        // Chat completions: the protocol every OpenAI model and proxy speaks.
        model: createOpenAI({ apiKey, baseURL }).chat(modelId),
        modelId,
        price: priceOf(modelId),
        label: baseURL ? `OpenAI (${displayUrl(baseURL)})` : "OpenAI",
        keySource: "OPENAI_API_KEY",
        secrets: [apiKey],
      });
    }
    case "anthropic": {
      const modelId = config.model ?? DEFAULT_MODELS.anthropic;
      const apiKey = env.anthropicApiKey ?? "";
      return new LlmWriter({
        provider: "anthropic",
        model: createAnthropic({ apiKey, baseURL })(modelId),
        modelId,
        price: priceOf(modelId),
        label: baseURL ? `Anthropic (${displayUrl(baseURL)})` : "Anthropic",
        keySource: "ANTHROPIC_API_KEY",
        secrets: [apiKey],
      });
    }
    case "openai-compatible": {
      // validateWriterConfig has made sure both exist.
      const modelId = config.model ?? "";
      const serverUrl = baseURL ?? env.llmBaseUrl ?? "";
      const apiKey = env.llmApiKey || undefined;
      const provider = createOpenAICompatible({
        name: "openai-compatible",
        baseURL: serverUrl,
        apiKey,
        includeUsage: true,
        // Ollama, vLLM, llama.cpp and LM Studio accept a json_schema response format; some refuse json_object.
        supportsStructuredOutputs: true,
      });
      return new LlmWriter({
        provider: "openai-compatible",
        model: provider.chatModel(modelId),
        modelId,
        price: priceOf(modelId),
        label: `the OpenAI-compatible server at ${displayUrl(serverUrl)}`,
        keySource: "SCRIPTORIUM_LLM_API_KEY",
        secrets: apiKey ? [apiKey] : [],
        // Not every server enforces the response schema: the prompt states it as well.
        describeSchemaInPrompt: true,
      });
    }
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/** A URL as shown in messages: without any credentials it may carry. */
function displayUrl(value: string): string {
  const url = new URL(value);
  return `${url.origin}${url.pathname}`.replace(/\/$/, "");
}
