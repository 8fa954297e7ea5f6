"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useQueryClient } from "@tanstack/react-query";
import { AlertCircleIcon, LoaderCircleIcon } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { BrandMark, BrandName } from "@/components/brand";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { signIn, startSession } from "@/lib/session";

const SignInForm = z.object({
  api_key: z.string().trim().min(1, "Enter an API key."),
});
type SignInForm = z.infer<typeof SignInForm>;

export function SignInScreen() {
  const queryClient = useQueryClient();
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<SignInForm>({ resolver: zodResolver(SignInForm), defaultValues: { api_key: "" } });
  const fieldError = form.formState.errors.api_key?.message;
  const shownError = fieldError ?? failure;

  async function submit(values: SignInForm) {
    setFailure(null);
    const result = await signIn(values.api_key);
    if (result.ok) {
      startSession(queryClient, result.session);
    } else {
      setFailure(result.message);
      form.setFocus("api_key");
    }
  }

  return (
    <main className="flex min-h-dvh flex-col items-center justify-center bg-muted/40 px-4 py-10">
      <div className="mb-6 flex items-center gap-2.5">
        <BrandMark />
        <BrandName className="text-lg" />
      </div>
      <Card className="w-full max-w-sm">
        <CardHeader>
          <CardTitle as="h1" className="text-xl">
            Sign in
          </CardTitle>
          <CardDescription>Use an API key of your workspace. The dashboard keeps it in a secure session cookie.</CardDescription>
        </CardHeader>
        <CardContent>
          <form className="grid gap-4" onSubmit={form.handleSubmit(submit)} noValidate>
            <div className="grid gap-2">
              <Label htmlFor="api-key">API key</Label>
              <Input
                id="api-key"
                type="password"
                autoComplete="current-password"
                spellCheck={false}
                className="font-mono"
                aria-invalid={shownError ? true : undefined}
                aria-describedby={shownError ? "api-key-error" : undefined}
                autoFocus
                {...form.register("api_key", { onChange: () => setFailure(null) })}
              />
              {shownError ? (
                <p id="api-key-error" role="alert" className="flex items-start gap-1.5 text-sm text-destructive">
                  <AlertCircleIcon className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
                  <span>{shownError}</span>
                </p>
              ) : null}
            </div>
            <Button type="submit" disabled={form.formState.isSubmitting}>
              {form.formState.isSubmitting ? <LoaderCircleIcon className="animate-spin" aria-hidden="true" /> : null}
              Sign in
            </Button>
          </form>
        </CardContent>
      </Card>
      <p className="mt-6 max-w-sm text-center text-sm text-balance text-muted-foreground">
        On its first start, Scriptorium prints the owner key once and saves it to{" "}
        <code className="rounded bg-muted px-1 py-0.5 font-mono text-xs text-foreground">&lt;data dir&gt;/owner.key</code> (by default{" "}
        <code className="rounded bg-muted px-1 py-0.5 font-mono text-xs text-foreground">.scriptorium/owner.key</code>).
      </p>
    </main>
  );
}
