"use client";
import Link from "next/link";
import { useId, useState } from "react";
import { ErrorMessage } from "@/components/ui/error-message";
import { RelativeTime } from "@/components/ui/relative-time";
import { FORECAST_LABELS } from "./format";
import { useForecast } from "./use-overview";

const HOURS = 24;
const FIRST = 20;

/** A dry run: what expiry and sleep will do in the next day, counted by kind and listed soonest first. */
export function LifecycleForecast() {
  const id = useId();
  const forecast = useForecast(HOURS);
  const [all, setAll] = useState(false);
  const events = forecast.data?.events ?? [];
  const shown = all ? events : events.slice(0, FIRST);

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>The next {HOURS} hours</h2>
      <p className="muted">A dry run of expiry and sleep as the settings stand: nothing here has happened yet.</p>
      {forecast.isError ? <ErrorMessage error={forecast.error} /> : null}
      {forecast.data ? (
        <>
          <ul className="counts" aria-label="What will happen, by kind">
            {(Object.keys(FORECAST_LABELS) as (keyof typeof FORECAST_LABELS)[]).map((kind) => (
              <li key={kind} data-testid={`forecast-${kind}`}>
                <strong>{forecast.data.summary[kind]}</strong> {FORECAST_LABELS[kind].toLowerCase()}
              </li>
            ))}
          </ul>
          {events.length === 0 ? (
            <p className="muted">Nothing is due in the next {HOURS} hours.</p>
          ) : (
            <table className="table compact" aria-label="What will happen, soonest first">
              <thead>
                <tr>
                  <th>When</th>
                  <th>What</th>
                  <th>Environment</th>
                  <th>Owner</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((e) => (
                  <tr key={`${e.environment.id}-${e.kind}`} data-testid="forecast-event">
                    <td>
                      <RelativeTime iso={e.at} />
                    </td>
                    <td className={e.kind === "expire" || e.kind === "destroy-asleep" ? "status-reason" : undefined}>{FORECAST_LABELS[e.kind]}</td>
                    <td>
                      <Link href={`/environments/${e.environment.id}`}>{e.environment.name}</Link>
                    </td>
                    <td>{e.environment.owner}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {events.length > shown.length ? (
            <button type="button" className="button" onClick={() => setAll(true)}>
              Show all {events.length}
            </button>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
